/**
 * The one Cloud ID decoder (src/config/cloud-id.ts) and the one place URLs are resolved (the config loader):
 * the clients read `config.elastic.kibanaUrl` / `elasticsearchUrl` as the loader left them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { decodeCloudId } from "../../src/config/cloud-id.js";
import { resolveConfig } from "../../src/config/load.js";
import { type InputError, exitCodeOf } from "../../src/errors.js";
import { resolveUrls } from "../../src/elastic/connection.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { VALID_ENV } from "../helpers/config-env.js";
import { TestIoHost } from "../helpers/test-io-host.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

afterEach(() => clearRegisteredSecrets());

async function load(env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return resolveConfig({ env: clean, cwd: "/nonexistent-dir-for-config", io: new TestIoHost({ interactive: false }) });
}
const withCloudId = (cloudId: string, urls: Record<string, string | undefined> = {}) =>
  load({ ...VALID_ENV, KIBANA_URL: undefined, ELASTICSEARCH_URL: undefined, ELASTIC_CLOUD_ID: cloudId, ...urls });

describe("Cloud ID decoding", () => {
  it("gives the Elasticsearch and Kibana URLs of name:base64(host$es$kb)", () => {
    expect(decodeCloudId(`prod:${b64("us-central1.gcp.cloud.es.io$abc123$def456")}`)).toEqual({
      elasticsearchUrl: "https://abc123.us-central1.gcp.cloud.es.io",
      kibanaUrl: "https://def456.us-central1.gcp.cloud.es.io",
    });
  });

  it("reads a port on each component, as Elastic Cloud Enterprise writes them (host$es-id:9243$kb-id:9243)", () => {
    expect(decodeCloudId(`ece:${b64("ece.example.com$es-id:9243$kb-id:9243")}`)).toEqual({
      elasticsearchUrl: "https://es-id.ece.example.com:9243",
      kibanaUrl: "https://kb-id.ece.example.com:9243",
    });
  });

  it("an id without a port takes the host's, and an id's own port wins", () => {
    expect(decodeCloudId(`x:${b64("eu-west-1.aws.found.io:9243$es1$kb1:443")}`)).toEqual({
      elasticsearchUrl: "https://es1.eu-west-1.aws.found.io:9243",
      kibanaUrl: "https://kb1.eu-west-1.aws.found.io",
    });
  });

  it.each([
    ["not base64", "prod:!!!"],
    ["too few parts", `prod:${b64("host$es")}`],
    ["empty part", `prod:${b64("host$$kb")}`],
    ["bad host characters", `prod:${b64("ho st$es$kb")}`],
    ["bad id characters", `prod:${b64("host$e s$kb")}`],
  ])("a malformed Cloud ID (%s) is described, not decoded", (_why, id) => {
    expect(decodeCloudId(id)).toMatch(/is not a Cloud ID/);
  });
});

describe("URLs are resolved once, in config", () => {
  it("an ECE Cloud ID with component ports plans against https://kb-id.host:9243", async () => {
    const { config, sources } = await withCloudId(`ece:${b64("ece.example.com$es-id:9243$kb-id:9243")}`);
    expect(config.elastic.kibanaUrl).toBe("https://kb-id.ece.example.com:9243");
    expect(config.elastic.elasticsearchUrl).toBe("https://es-id.ece.example.com:9243");
    expect(sources["elastic.kibanaUrl"]).toBe("cloud-id");
    // The clients take the loader's result as it is.
    expect(resolveUrls(config.elastic)).toEqual({
      kibanaUrl: "https://kb-id.ece.example.com:9243",
      elasticsearchUrl: "https://es-id.ece.example.com:9243",
    });
  });

  it("a Cloud ID and a URL on another deployment (or another base path) are refused, naming the URL", async () => {
    const cloudId = `prod:${b64("cloud.es.io$es1$kb1")}`;
    for (const kibanaUrl of ["https://other.example.com", "https://kb1.cloud.es.io/kibana", "http://kb1.cloud.es.io"]) {
      const e = (await withCloudId(cloudId, { KIBANA_URL: kibanaUrl }).catch((x) => x)) as InputError;
      expect(exitCodeOf(e), kibanaUrl).toBe(3);
      expect(e.problems.map((p) => p.key)).toEqual(["elastic.kibanaUrl"]);
      expect(e.problems[0]!.message).toMatch(/disagrees with the Cloud ID/);
    }
  });

  it("URLs that agree with the Cloud ID are accepted (trailing slash and case aside)", async () => {
    const cloudId = `prod:${b64("cloud.es.io$es1$kb1")}`;
    const { config } = await withCloudId(cloudId, { KIBANA_URL: "https://KB1.cloud.es.io/" });
    expect(resolveUrls(config.elastic)).toEqual({
      kibanaUrl: "https://KB1.cloud.es.io",
      elasticsearchUrl: "https://es1.cloud.es.io",
    });
  });
});

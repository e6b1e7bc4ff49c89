import { describe, expect, it } from "vitest";
import { exitCodeOf, type InputError } from "../../src/errors.js";
import { parseCloudId } from "../../src/kibana/cloud-id.js";
import { resolveUrls } from "../../src/kibana/connection.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    return e as InputError;
  }
  throw new Error("expected an error");
}

describe("Cloud ID", () => {
  it("gives the Elasticsearch and Kibana URLs of name:base64(host$es$kb)", () => {
    expect(parseCloudId(`prod:${b64("us-central1.gcp.cloud.es.io$abc123$def456")}`)).toEqual({
      name: "prod",
      elasticsearchUrl: "https://abc123.us-central1.gcp.cloud.es.io",
      kibanaUrl: "https://def456.us-central1.gcp.cloud.es.io",
    });
  });

  it("keeps a non-default port from the host, and a component's own port wins", () => {
    const ids = parseCloudId(`x:${b64("eu-west-1.aws.found.io:9243$es1$kb1:443")}`);
    expect(ids.elasticsearchUrl).toBe("https://es1.eu-west-1.aws.found.io:9243");
    expect(ids.kibanaUrl).toBe("https://kb1.eu-west-1.aws.found.io");
  });

  it.each([
    ["no name separator", "justbase64"],
    ["not base64", "prod:!!!"],
    ["too few parts", `prod:${b64("host$es")}`],
    ["empty part", `prod:${b64("host$$kb")}`],
    ["bad host characters", `prod:${b64("ho st$es$kb")}`],
  ])("a malformed Cloud ID (%s) is an input error, exit 3", (_why, id) => {
    const e = thrown(() => parseCloudId(id));
    expect(e.code).toBe("CLOUD_ID_MALFORMED");
    expect(e.problems[0]!.key).toBe("elastic.cloudId");
    expect(exitCodeOf(e)).toBe(3);
  });

  it("a Cloud ID and URLs that point elsewhere are an input error naming both inputs", () => {
    const cloudId = `prod:${b64("cloud.es.io$es1$kb1")}`;
    const e = thrown(() =>
      resolveUrls({
        cloudId,
        kibanaUrl: "https://other.example.com",
        elasticsearchUrl: "https://es1.cloud.es.io",
        space: "default",
      }),
    );
    expect(e.code).toBe("CLOUD_ID_URL_MISMATCH");
    expect(e.problems.map((p) => p.key)).toEqual(["elastic.kibanaUrl"]);
    expect(exitCodeOf(e)).toBe(3);
  });

  it("URLs that agree with the Cloud ID are accepted (trailing slash and case aside)", () => {
    const cloudId = `prod:${b64("cloud.es.io$es1$kb1")}`;
    expect(resolveUrls({ cloudId, kibanaUrl: "https://KB1.cloud.es.io/", space: "default" })).toEqual({
      kibanaUrl: "https://KB1.cloud.es.io",
      elasticsearchUrl: "https://es1.cloud.es.io",
    });
  });
});

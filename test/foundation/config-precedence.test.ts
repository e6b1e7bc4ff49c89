import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import { InputError } from "../../src/errors.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { TestIoHost } from "../helpers/test-io-host.js";

let dir: TempDir;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
  clearRegisteredSecrets();
});

const nonInteractive = () => new TestIoHost({ interactive: false });

describe("input precedence: flags > env > config file > defaults > prompt", () => {
  it("a flag beats the env var, the config file and the default", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  space: from-file\n");
    const { config, sources } = await resolveConfig({
      flags: { "elastic.space": "from-flag" },
      env: { ...VALID_ENV, KIBANA_SPACE: "from-env" },
      cwd: dir.path,
      io: nonInteractive(),
    });
    expect(config.elastic.space).toBe("from-flag");
    expect(sources["elastic.space"]).toBe("flag");
  });

  it("the env var beats the config file and the default", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  space: from-file\n");
    const { config, sources } = await resolveConfig({
      env: { ...VALID_ENV, KIBANA_SPACE: "from-env" },
      cwd: dir.path,
      io: nonInteractive(),
    });
    expect(config.elastic.space).toBe("from-env");
    expect(sources["elastic.space"]).toBe("env");
  });

  it("the config file beats the default", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  space: from-file\n");
    const { config, sources } = await resolveConfig({ env: { ...VALID_ENV }, cwd: dir.path, io: nonInteractive() });
    expect(config.elastic.space).toBe("from-file");
    expect(sources["elastic.space"]).toBe("file");
  });

  it("the default applies when no flag, env var or file sets the input", async () => {
    const { config, sources } = await resolveConfig({ env: { ...VALID_ENV }, cwd: dir.path, io: nonInteractive() });
    expect(config.elastic.space).toBe("default");
    expect(sources["elastic.space"]).toBe("default");
    expect(config.features.caseSync).toBe(true);
    expect(config.naming.prefix).toBe("elastic-sentinel");
  });

  it("a prompt is asked only for a required input that no layer gave, and only when interactive", async () => {
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.AZURE_RESOURCE_GROUP;
    const io = new TestIoHost({ interactive: true, answers: { "input.azure.resourceGroup": "rg-from-prompt" } });
    const { config, sources } = await resolveConfig({ env, cwd: dir.path, io });
    expect(config.azure.resourceGroup).toBe("rg-from-prompt");
    expect(sources["azure.resourceGroup"]).toBe("prompt");
    expect(io.asked.map((q) => q.code)).toEqual(["input.azure.resourceGroup"]);
  });

  it("a secret is asked with a masked prompt", async () => {
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.ELASTIC_API_KEY;
    const io = new TestIoHost({ answers: { "input.elastic.apiKey": "prompted-key-987654" } });
    const { config } = await resolveConfig({ env, cwd: dir.path, io });
    expect(config.elastic.apiKey).toBe("prompted-key-987654");
    expect(io.asked[0]).toMatchObject({ kind: "text", secret: true });
  });

  it("--config FILE is read instead of the default file names", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  space: default-file\n");
    dir.write("other.json", JSON.stringify({ elastic: { space: "explicit-file" } }));
    const { config, file } = await resolveConfig({
      env: { ...VALID_ENV },
      cwd: dir.path,
      configFile: "other.json",
      io: nonInteractive(),
    });
    expect(config.elastic.space).toBe("explicit-file");
    expect(file).toMatch(/other\.json$/);
  });

  it("a missing --config file is an input error", async () => {
    await expect(
      resolveConfig({ env: { ...VALID_ENV }, cwd: dir.path, configFile: "nope.yaml", io: nonInteractive() }),
    ).rejects.toMatchObject({ code: "CONFIG_FILE_NOT_FOUND", exitCode: 3 });
  });

  it("env strings are typed by the registry: booleans, numbers, lists, enums in any case", async () => {
    const { config } = await resolveConfig({
      env: {
        ...VALID_ENV,
        SENTINEL_ELASTIC_CASE_SYNC: "false",
        SENTINEL_ELASTIC_RULE_RISK_SCORE: "40",
        SENTINEL_ELASTIC_RULE_INDEX: "logs-*, winlogbeat-*",
        AZURE_CLOUD: "azureusgovernment",
      },
      cwd: dir.path,
      io: nonInteractive(),
    });
    expect(config.features.caseSync).toBe(false);
    expect(config.rule.riskScore).toBe(40);
    expect(config.rule.index).toEqual(["logs-*", "winlogbeat-*"]);
    expect(config.azure.cloud).toBe("AzureUSGovernment");
  });

  it("the resolved configuration is frozen", async () => {
    const { config } = await resolveConfig({ env: { ...VALID_ENV }, cwd: dir.path, io: nonInteractive() });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.elastic)).toBe(true);
    expect(() => {
      (config.elastic as { space: string }).space = "x";
    }).toThrow();
  });

  it("a Cloud ID fills both URLs", async () => {
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.KIBANA_URL;
    delete env.ELASTICSEARCH_URL;
    env.ELASTIC_CLOUD_ID = `prod:${Buffer.from("eu-west-1.aws.found.io:443$esid123$kbid456").toString("base64")}`;
    const { config, sources } = await resolveConfig({ env, cwd: dir.path, io: nonInteractive() });
    expect(config.elastic.kibanaUrl).toBe("https://kbid456.eu-west-1.aws.found.io");
    expect(config.elastic.elasticsearchUrl).toBe("https://esid123.eu-west-1.aws.found.io");
    expect(sources["elastic.kibanaUrl"]).toBe("cloud-id");
  });

  it("a Cloud ID that disagrees with a given URL is refused", async () => {
    const env = {
      ...VALID_ENV,
      ELASTIC_CLOUD_ID: `prod:${Buffer.from("eu-west-1.aws.found.io$esid123$kbid456").toString("base64")}`,
    };
    const error = await resolveConfig({ env, cwd: dir.path, io: nonInteractive() }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.key)).toContain("elastic.kibanaUrl");
    expect((error as InputError).problems[0]!.message).toMatch(/disagrees with the Cloud ID/);
  });

  it("interactively, the Cloud ID is offered before the two URLs it replaces", async () => {
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.KIBANA_URL;
    delete env.ELASTICSEARCH_URL;
    const cloudId = `prod:${Buffer.from("westeurope.azure.elastic-cloud.com$es9$kb9").toString("base64")}`;
    const io = new TestIoHost({ answers: { "input.elastic.cloudId": cloudId } });
    const { config } = await resolveConfig({ env, cwd: dir.path, io });
    expect(io.asked.map((q) => q.code)).toEqual(["input.elastic.cloudId"]);
    expect(config.elastic.kibanaUrl).toBe("https://kb9.westeurope.azure.elastic-cloud.com");
  });

  it("an empty Cloud ID answer asks for the URLs instead", async () => {
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.KIBANA_URL;
    delete env.ELASTICSEARCH_URL;
    const io = new TestIoHost({
      answers: {
        "input.elastic.cloudId": "",
        "input.elastic.kibanaUrl": "https://kb.local:5601",
        "input.elastic.elasticsearchUrl": "https://es.local:9200",
      },
    });
    const { config } = await resolveConfig({ env, cwd: dir.path, io });
    expect(io.asked.map((q) => q.code)).toEqual([
      "input.elastic.cloudId",
      "input.elastic.kibanaUrl",
      "input.elastic.elasticsearchUrl",
    ]);
    expect(config.elastic.cloudId).toBeUndefined();
    expect(config.elastic.elasticsearchUrl).toBe("https://es.local:9200");
  });
});

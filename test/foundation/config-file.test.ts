// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config-file text with ${ENV} references
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import type { InputError } from "../../src/errors.js";
import { clearRegisteredSecrets, redact } from "../../src/redact.js";
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

const load = (env: Record<string, string> = { ...VALID_ENV }) =>
  resolveConfig({ env, cwd: dir.path, io: new TestIoHost({ interactive: false }) });
const failure = async (env?: Record<string, string>) => (await load(env).catch((e) => e)) as InputError;

describe("the config file", () => {
  it("is found as sentinel-elastic.yml and sentinel-elastic.json too", async () => {
    dir.write("sentinel-elastic.yml", "naming:\n  prefix: from-yml\n");
    expect((await load()).config.naming.prefix).toBe("from-yml");
    dir.remove();
    dir = tempDir();
    dir.write("sentinel-elastic.json", '{"naming": {"prefix": "from-json"}}');
    expect((await load()).config.naming.prefix).toBe("from-json");
  });

  it("reads YAML aliases as the value their anchor names, in leaves, lists and mappings", async () => {
    dir.write(
      "sentinel-elastic.yaml",
      [
        "azure:",
        "  resourceGroup: &rg rg-shared",
        "sentinel:",
        "  resourceGroup: *rg",
        "rule:",
        "  index: [&logs logs-*, winlogbeat-*]",
        "  query: &q 'process.name:\"cmd.exe\"'",
        "features: &off",
        "  sentinelToElastic: false",
        "naming:",
        "  prefix: from-alias",
      ].join("\n"),
    );
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.AZURE_RESOURCE_GROUP;
    const { config } = await load(env);
    expect(config.sentinel.resourceGroup).toBe("rg-shared");
    expect(config.azure.resourceGroup).toBe("rg-shared");
    expect(config.rule.index).toEqual(["logs-*", "winlogbeat-*"]);
  });

  it("an alias inside a list reads the anchored value", async () => {
    dir.write("sentinel-elastic.yaml", "rule:\n  query: &q logs-custom-*\n  index: [*q, winlogbeat-*]\n");
    const { config } = await load();
    expect(config.rule.index).toEqual(["logs-custom-*", "winlogbeat-*"]);
  });

  it("interpolates ${ENV_VAR} in string values, and $${ stays literal", async () => {
    dir.write(
      "sentinel-elastic.yaml",
      "elastic:\n  apiKey: ${MY_KEY}\nrule:\n  query: 'message:$${x} and host:${HOST}'\n",
    );
    const env: Record<string, string> = { ...VALID_ENV, MY_KEY: "interpolated-key-42", HOST: "web1" };
    delete env.ELASTIC_API_KEY;
    const { config } = await load(env);
    expect(config.elastic.apiKey).toBe("interpolated-key-42");
    expect(config.rule.query).toBe("message:${x} and host:web1");
  });

  it("a missing ${ENV_VAR} is exit 3 naming the variable and the key", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  apiKey: ${NOT_SET_ANYWHERE}\n");
    const error = await failure();
    expect(error.exitCode).toBe(3);
    expect(error.problems[0]!.key).toBe("elastic.apiKey");
    expect(error.problems[0]!.message).toContain("NOT_SET_ANYWHERE is not set");
    expect(error.problems[0]!.message).toContain("line 2");
  });

  it("registers a secret read from the file, so it is redacted everywhere", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  password: file-password-canary-77\n  username: elastic\n");
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.ELASTIC_API_KEY;
    await load(env);
    expect(redact("it was file-password-canary-77 all along")).not.toContain("file-password-canary-77");
  });

  it("bad YAML is exit 3 with the line and column", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  kibanaUrl: [https://x\nazure:\n  cloud: AzureCloud\n");
    const error = await failure();
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe("CONFIG_FILE_SYNTAX");
    expect(error.message).toMatch(/sentinel-elastic\.yaml is not valid YAML: .*\(line \d+, column \d+\)/);
  });

  it("bad JSON is exit 3 with the line and column", async () => {
    dir.write("sentinel-elastic.json", '{\n  "elastic": {\n    "space": "x",,\n  }\n}\n');
    const error = await failure();
    expect(error.message).toMatch(/sentinel-elastic\.json is not valid JSON: .*\(line 3, column \d+\)/);
  });

  it("an unknown key is exit 3 naming the key and the nearest valid key", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  kibanaURL: https://kb.example.test\n");
    const error = await failure();
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe("CONFIG_UNKNOWN_KEY");
    expect(error.message).toContain("elastic.kibanaURL");
    expect(error.message).toContain('did you mean "elastic.kibanaUrl"');
    expect(error.message).toContain("line 2");
  });

  it("a leaf key at the wrong level suggests its full path", async () => {
    dir.write("sentinel-elastic.yaml", "workspaceName: soc\n");
    const error = await failure();
    expect(error.message).toContain('did you mean "sentinel.workspaceName"');
  });

  it("every unknown key is listed, not just the first", async () => {
    dir.write("sentinel-elastic.yaml", "elastik:\n  space: x\nazure:\n  subscription: y\n");
    const error = await failure();
    expect(error.problems.map((p) => p.key)).toEqual(["elastik", "azure.subscription"]);
    expect(error.problems[1]!.message).toContain('"azure.subscriptionId"');
  });

  it("values in the file are validated like any other layer, naming the file", async () => {
    dir.write("sentinel-elastic.yaml", "azure:\n  location: West Europe\n");
    const error = await failure();
    expect(error.problems[0]!.key).toBe("azure.location");
    expect(error.problems[0]!.message).toContain("from azure.location in sentinel-elastic.yaml");
  });
});

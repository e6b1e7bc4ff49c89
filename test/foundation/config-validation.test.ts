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

async function problemsFor(env: Record<string, string>, flags: Record<string, unknown> = {}) {
  const error = (await resolveConfig({ env, flags, cwd: dir.path, io: new TestIoHost({ interactive: false }) }).catch(
    (e) => e,
  )) as InputError;
  expect(error.exitCode).toBe(3);
  return error;
}

describe("validation messages name the input, what is wrong and where to set it", () => {
  it.each([
    ["KIBANA_URL", "not a url", "elastic.kibanaUrl", /http:\/\/ or https:\/\/ URL/, /--kibana-url, KIBANA_URL/],
    ["AZURE_SUBSCRIPTION_ID", "1234", "azure.subscriptionId", /GUID/, /--subscription-id, AZURE_SUBSCRIPTION_ID/],
    ["SENTINEL_WORKSPACE_NAME", "ws", "sentinel.workspaceName", /4-63 letters/, /--workspace/],
    ["AZURE_RESOURCE_GROUP", "rg.", "azure.resourceGroup", /not end in a period/, /--resource-group/],
    ["AZURE_LOCATION", "West Europe", "azure.location", /Azure region name/, /--location/],
    [
      "SENTINEL_ELASTIC_RULE_INTERVAL",
      "5 minutes",
      "rule.interval",
      /seconds, minutes or hours, at least 1m/,
      /--rule-interval/,
    ],
    ["SENTINEL_ELASTIC_RULE_INTERVAL", "90d", "rule.interval", /take no days: write 24h for 1d/, /--rule-interval/],
    ["SENTINEL_ELASTIC_RULE_INTERVAL", "30s", "rule.interval", /at least 1m/, /--rule-interval/],
    [
      "KIBANA_URL",
      "https://kb.example.com/?a=1",
      "elastic.kibanaUrl",
      /query string.*Kibana's base URL/,
      /--kibana-url/,
    ],
    [
      "ELASTICSEARCH_URL",
      "https://es.example.com#x",
      "elastic.elasticsearchUrl",
      /query string/,
      /--elasticsearch-url/,
    ],
    [
      "AZURE_CLOUD",
      "AzureGermany",
      "azure.cloud",
      /one of: AzureCloud, AzureUSGovernment, AzureChinaCloud/,
      /AZURE_CLOUD/,
    ],
    ["SENTINEL_ELASTIC_RULE_RISK_SCORE", "250", "rule.riskScore", /at most 100/, /--rule-risk-score/],
    ["SENTINEL_ELASTIC_CASE_SYNC", "maybe", "features.caseSync", /true or false/, /--case-sync/],
    ["SENTINEL_ELASTIC_PREFIX", "Bad_Prefix", "naming.prefix", /lower-case letters/, /--prefix/],
    ["SENTINEL_ELASTIC_ALERTS_TABLE", "ElasticAlerts", "alerts.table", /ending in _CL/, /--alerts-table/],
  ])("%s=%j is reported against %s", async (envName, value, key, what, where) => {
    const error = await problemsFor({ ...VALID_ENV, [envName]: value });
    const problem = error.problems.find((p) => p.key === key);
    expect(problem, JSON.stringify(error.problems)).toBeDefined();
    expect(problem!.message).toMatch(what);
    expect(problem!.message).toContain(`from ${envName}`);
    expect(problem!.where).toMatch(where);
    expect(problem!.where).toContain(`${key} in the config file`);
  });

  it("an invalid required input is reported once, as invalid, not also as missing", async () => {
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.SENTINEL_WORKSPACE_NAME;
    const error = await problemsFor(env, { "sentinel.workspaceName": "ws" });
    expect(error.problems.filter((p) => p.key === "sentinel.workspaceName")).toHaveLength(1);
    expect(error.problems[0]!.message).toMatch(/4-63 letters/);
    expect(error.message).toBe("1 invalid input");
    expect(error.code).toBe("INPUT_INVALID");
  });

  it("a URL with user:password@ is refused, names what to use instead, and never shows the password", async () => {
    const error = await problemsFor({ ...VALID_ENV, KIBANA_URL: "https://elastic:pw-canary-77@kb.example.com" });
    const problem = error.problems.find((p) => p.key === "elastic.kibanaUrl")!;
    expect(problem.message).toMatch(/user name or password.*ELASTIC_API_KEY/);
    expect(JSON.stringify(error.problems)).not.toContain("pw-canary-77");
    expect(redact("said pw-canary-77")).not.toContain("pw-canary-77");
  });

  it("a CA file that is not PEM is refused when the config is read, before any remote is called", async () => {
    const file = dir.write("ca.der", "\u0030\u0082 not pem at all");
    for (const [env, key] of [
      ["ELASTIC_CA_CERT", "elastic.caCertFile"],
      ["AZURE_CA_CERT", "azure.caCertFile"],
    ]) {
      const error = await problemsFor({ ...VALID_ENV, [env!]: file });
      const problem = error.problems.find((p) => p.key === key);
      expect(problem?.message, key).toMatch(/not a PEM certificate file.*openssl x509/);
    }
  });

  it("a bad flag value says it came from the flag", async () => {
    const error = await problemsFor({ ...VALID_ENV }, { "elastic.kibanaUrl": "ftp://kb" });
    expect(error.problems[0]).toMatchObject({ key: "elastic.kibanaUrl" });
    expect(error.problems[0]!.message).toContain("from --kibana-url");
  });

  it("an invalid secret is reported without echoing its value", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  apiKey:\n    value: canary-secret-in-a-map-31\n");
    const env: Record<string, string> = { ...VALID_ENV };
    delete env.ELASTIC_API_KEY;
    const error = await problemsFor(env);
    expect(error.problems[0]).toMatchObject({ key: "elastic.apiKey" });
    expect(error.problems[0]!.message).toMatch(/single value/);
    expect(JSON.stringify(error.problems)).not.toContain("canary-secret-in-a-map-31");
  });
});

describe("a non-interactive run lists every missing or invalid input at once and exits 3", () => {
  it("lists all missing required inputs, each with flag, env var and config key", async () => {
    const error = await problemsFor({});
    expect(error.code).toBe("INPUT_MISSING");
    const keys = error.problems.map((p) => p.key);
    expect(keys).toEqual([
      "elastic.kibanaUrl",
      "elastic.elasticsearchUrl",
      "elastic.apiKey",
      "azure.subscriptionId",
      "azure.resourceGroup",
      "sentinel.workspaceName",
    ]);
    const kibana = error.problems[0]!;
    expect(kibana.where).toBe("--kibana-url, KIBANA_URL, or elastic.kibanaUrl in the config file");
    const apiKey = error.problems.find((p) => p.key === "elastic.apiKey")!;
    expect(apiKey.where).toBe("ELASTIC_API_KEY, or elastic.apiKey in the config file");
  });

  it("lists invalid and missing inputs together", async () => {
    const error = await problemsFor({ KIBANA_URL: "nope", AZURE_SUBSCRIPTION_ID: "not-a-guid" });
    expect(error.message).toMatch(/2 invalid inputs and \d missing inputs/);
    const keys = error.problems.map((p) => p.key);
    expect(keys).toContain("elastic.kibanaUrl");
    expect(keys).toContain("azure.subscriptionId");
    expect(keys).toContain("sentinel.workspaceName");
  });

  it("never asks the IoHost anything", async () => {
    const io = new TestIoHost({ interactive: false });
    await resolveConfig({ env: {}, cwd: dir.path, io }).catch(() => undefined);
    expect(io.asked).toEqual([]);
  });

  it("Azure inputs are not required when both Azure features are off", async () => {
    const { config } = await resolveConfig({
      env: {
        KIBANA_URL: VALID_ENV.KIBANA_URL!,
        ELASTICSEARCH_URL: VALID_ENV.ELASTICSEARCH_URL!,
        ELASTIC_API_KEY: VALID_ENV.ELASTIC_API_KEY!,
        SENTINEL_ELASTIC_CASE_SYNC: "false",
        SENTINEL_ELASTIC_ALERT_FORWARDING: "false",
      },
      cwd: dir.path,
      io: new TestIoHost({ interactive: false }),
    });
    expect(config.azure.subscriptionId).toBeUndefined();
  });

  it("username and password replace the API key", async () => {
    const env: Record<string, string> = { ...VALID_ENV, ELASTIC_USERNAME: "elastic" };
    delete env.ELASTIC_API_KEY;
    const error = await problemsFor(env);
    expect(error.problems.map((p) => p.key)).toEqual(["elastic.password"]);
  });

  it("a malformed Cloud ID is an input problem", async () => {
    const error = await problemsFor({ ...VALID_ENV, ELASTIC_CLOUD_ID: "prod:%%%" });
    expect(error.problems[0]).toMatchObject({ key: "elastic.cloudId" });
    expect(error.problems[0]!.message).toMatch(/not a Cloud ID/);
  });
});

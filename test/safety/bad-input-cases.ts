/**
 * The catalogue of inputs users really get wrong. Each case: what the user gave, the exit code we promise
 * (1 remote unreachable, 3 input, 4 authentication/permission, 5 precondition), a pattern that must name the input and one that must
 * name the fix. `built` cases run through the built CLI as a separate process; the rest in-process.
 */
import type { SafetyWorld } from "./helpers/safety-world.js";
import { WS_PLAIN } from "./helpers/safety-world.js";

export interface Places {
  /** A 127.0.0.1 port nothing listens on. */
  closedPort: number;
  /** A plain web server answering HTML to everything. */
  webServerUrl: string;
  dir: string;
}

export interface BadInputCase {
  name: string;
  /** Arguments after the command (default command: setup --yes --non-interactive --no-verify). */
  args?: string[];
  inputs?: (w: SafetyWorld, p: Places) => Record<string, unknown>;
  env?: (w: SafetyWorld, p: Places) => Record<string, string | undefined>;
  configText?: { name: string; text: string };
  /** Change the sandbox before the run (and undo it after). */
  arrange?: (w: SafetyWorld) => () => void;
  code: 1 | 3 | 4 | 5;
  /** Must appear in stderr: the input the user got wrong. */
  names: RegExp;
  /** Must appear in stderr: what to do about it. */
  fix: RegExp;
  built?: boolean;
  /** A product bug this case documents (the test is `it.fails` until it is fixed). */
  bug?: string;
}

/** `${ELASTIC_KEY_TYPO}` in a config file: interpolation of a variable nobody set. */
const ENV_REF_TYPO = ["$", "{ELASTIC_KEY_TYPO}"].join("");
const GUID_OTHER = "9b2f6c1e-0d4a-4c8e-9f00-1234567890ab";
const cloudId = (host: string, es = "es", kb = "kb") => `prod:${Buffer.from(`${host}$${es}$${kb}`).toString("base64")}`;

export const cases: BadInputCase[] = [
  // URLs
  {
    name: "Kibana URL without a scheme",
    inputs: () => ({ "elastic.kibanaUrl": "kibana.example.com:5601" }),
    code: 3,
    names: /elastic\.kibanaUrl|KIBANA_URL/,
    fix: /https?:\/\/|--kibana-url/,
  },
  {
    name: "Kibana URL with a mistyped scheme",
    inputs: () => ({ "elastic.kibanaUrl": "htps://kibana.example.com" }),
    code: 3,
    names: /elastic\.kibanaUrl|KIBANA_URL/,
    fix: /https?:\/\/|--kibana-url/,
  },
  {
    name: "Kibana URL with a space in the host",
    inputs: () => ({ "elastic.kibanaUrl": "https://kib ana.example.com" }),
    code: 3,
    names: /elastic\.kibanaUrl|KIBANA_URL/,
    fix: /--kibana-url|KIBANA_URL/,
  },
  {
    name: "Elasticsearch URL that is not a URL",
    inputs: () => ({ "elastic.elasticsearchUrl": "localhost" }),
    code: 3,
    names: /elastic\.elasticsearchUrl|ELASTICSEARCH_URL/,
    fix: /--elasticsearch-url|ELASTICSEARCH_URL/,
  },
  {
    name: "Kibana URL from the environment with a trailing quote",
    env: () => ({ KIBANA_URL: 'https://kibana.example.com"' }),
    inputs: () => ({ "elastic.kibanaUrl": null }),
    code: 3,
    names: /KIBANA_URL|elastic\.kibanaUrl/,
    fix: /--kibana-url|KIBANA_URL/,
  },
  {
    name: "Kibana URL on a port nothing listens on",
    inputs: (_w, p) => ({ "elastic.kibanaUrl": `http://127.0.0.1:${p.closedPort}` }),
    code: 1,
    names: /127\.0\.0\.1:\d+|Kibana/,
    fix: /Check the Kibana URL/,
  },
  {
    name: "Elasticsearch URL on a port nothing listens on",
    inputs: (_w, p) => ({ "elastic.elasticsearchUrl": `http://127.0.0.1:${p.closedPort}` }),
    code: 1,
    names: /Elasticsearch.*127\.0\.0\.1/,
    fix: /Check the Elasticsearch URL/,
  },
  {
    name: "Kibana URL pointing at Elasticsearch",
    inputs: (w) => ({ "elastic.kibanaUrl": w.elastic.elasticsearchUrl }),
    code: 3,
    names: /Kibana/,
    fix: /Elasticsearch|kibanaUrl|KIBANA_URL|--kibana-url/,
  },
  {
    name: "Kibana URL pointing at some other web server",
    inputs: (_w, p) => ({ "elastic.kibanaUrl": p.webServerUrl }),
    code: 3,
    names: /Kibana/,
    fix: /kibanaUrl|KIBANA_URL|--kibana-url/,
  },
  {
    name: "Elasticsearch URL pointing at Kibana",
    inputs: (w) => ({ "elastic.elasticsearchUrl": w.elastic.kibanaUrl }),
    code: 3,
    names: /elastic\.elasticsearchUrl|ELASTICSEARCH_URL/,
    fix: /not the Kibana URL|--elasticsearch-url/,
  },
  {
    name: "HTTPS to a Kibana that speaks only HTTP",
    inputs: (w) => ({ "elastic.kibanaUrl": w.elastic.kibanaUrl.replace("http:", "https:") }),
    code: 3,
    names: /Kibana at https:/,
    fix: /http:\/\/ versus https:\/\//,
  },
  {
    name: "HTTP to Azure Resource Manager, which needs HTTPS",
    inputs: (w) => ({
      "azure.endpoints.resourceManager": w.azure.endpoints.resourceManager.replace("https:", "http:"),
    }),
    code: 3,
    names: /resourceManager|AZURE_RESOURCE_MANAGER_URL|--azure-resource-manager-url/,
    fix: /https/,
  },
  {
    name: "Kibana URL pasted from the browser (/app/… path)",
    inputs: (w) => ({ "elastic.kibanaUrl": `${w.elastic.kibanaUrl}/app/security/alerts` }),
    code: 3,
    names: /elastic\.kibanaUrl|KIBANA_URL/,
    fix: /base URL|without|\/app/,
  },
  {
    name: "Kibana URL with a query string",
    inputs: (w) => ({ "elastic.kibanaUrl": `${w.elastic.kibanaUrl}/?space=secops` }),
    code: 3,
    names: /elastic\.kibanaUrl|KIBANA_URL/,
    fix: /query string.*base URL/,
  },
  {
    name: "Kibana URL with user:password@ in it",
    inputs: (w) => ({ "elastic.kibanaUrl": w.elastic.kibanaUrl.replace("://", "://elastic:url-secret-value-9@") }),
    code: 3,
    names: /elastic\.kibanaUrl|KIBANA_URL/,
    fix: /ELASTIC_API_KEY|ELASTIC_USERNAME and ELASTIC_PASSWORD/,
  },
  // Elastic credentials, space, version, licence
  {
    name: "API key that Elasticsearch does not know",
    env: () => ({ ELASTIC_API_KEY: Buffer.from("nosuchid:nosuchkey").toString("base64") }),
    code: 4,
    names: /API key|ELASTIC_API_KEY/,
    fix: /ELASTIC_API_KEY|elastic\.apiKey|new API key/,
  },
  {
    name: "API key that was invalidated (expired)",
    arrange: (w) => {
      const k = w.elastic.state.createApiKey({ name: "expired" });
      w.elastic.state.invalidateApiKey(k.id);
      w.secretEnv.ELASTIC_API_KEY_EXPIRED = k.encoded;
      return () => {};
    },
    env: (w) => ({ ELASTIC_API_KEY: w.secretEnv.ELASTIC_API_KEY_EXPIRED }),
    code: 4,
    names: /API key|ELASTIC_API_KEY/,
    fix: /ELASTIC_API_KEY|elastic\.apiKey|new API key/,
  },
  {
    name: "API key pasted as id:key instead of the encoded value",
    env: () => ({ ELASTIC_API_KEY: "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw" }),
    code: 4,
    names: /API key|ELASTIC_API_KEY/,
    fix: /encoded|ELASTIC_API_KEY|elastic\.apiKey/,
  },
  {
    name: "wrong password",
    env: () => ({ ELASTIC_API_KEY: undefined, ELASTIC_PASSWORD: "not-the-password" }),
    inputs: () => ({ "elastic.username": "elastic" }),
    code: 4,
    names: /elastic|password|ELASTIC_PASSWORD/,
    fix: /ELASTIC_PASSWORD|elastic\.password|username/,
  },
  {
    name: "username without a password",
    env: () => ({ ELASTIC_API_KEY: undefined }),
    inputs: () => ({ "elastic.username": "elastic" }),
    code: 3,
    names: /elastic\.password|ELASTIC_PASSWORD/,
    fix: /ELASTIC_PASSWORD/,
  },
  {
    name: "no Elastic credential at all",
    env: () => ({ ELASTIC_API_KEY: undefined }),
    code: 3,
    names: /elastic\.apiKey|ELASTIC_API_KEY/,
    fix: /ELASTIC_API_KEY/,
  },
  {
    name: "a Kibana space that does not exist",
    inputs: () => ({ "elastic.space": "secops" }),
    code: 5,
    names: /secops/,
    fix: /elastic\.space|KIBANA_SPACE|--space|create/i,
  },
  {
    name: "a space name Kibana refuses (capitals and blanks)",
    inputs: () => ({ "elastic.space": "Sec Ops" }),
    code: 3,
    names: /elastic\.space|KIBANA_SPACE/,
    fix: /--space|KIBANA_SPACE|lowercase|a-z/,
  },
  {
    name: "Kibana too old (8.9.0)",
    arrange: (w) => {
      w.elastic.state.setVersion("8.9.0");
      return () => w.elastic.state.setVersion("9.2.0");
    },
    code: 5,
    names: /8\.9\.0/,
    fix: /upgrade|8\.\d+|or later|at least/i,
  },
  {
    name: "Kibana on a basic licence",
    arrange: (w) => {
      w.elastic.state.setLicense("basic");
      return () => w.elastic.state.setLicense("platinum");
    },
    code: 5,
    names: /licen[cs]e|basic/i,
    fix: /platinum|enterprise|gold|trial|upgrade/i,
  },
  {
    name: "Cloud ID that is not base64 of host$es$kb",
    inputs: () => ({
      "elastic.cloudId": "my-deployment:not*base64",
      "elastic.kibanaUrl": null,
      "elastic.elasticsearchUrl": null,
    }),
    code: 3,
    names: /elastic\.cloudId|ELASTIC_CLOUD_ID|Cloud ID/,
    fix: /Elastic Cloud console|--cloud-id|ELASTIC_CLOUD_ID|copy/i,
  },
  {
    name: "Cloud ID with no deployment name or colon",
    inputs: () => ({ "elastic.cloudId": "abc", "elastic.kibanaUrl": null, "elastic.elasticsearchUrl": null }),
    code: 3,
    names: /elastic\.cloudId|ELASTIC_CLOUD_ID|Cloud ID/,
    fix: /--cloud-id|ELASTIC_CLOUD_ID|copy/i,
  },
  {
    name: "Cloud ID and Kibana URL that disagree",
    inputs: () => ({ "elastic.cloudId": cloudId("eu-west-1.aws.found.io") }),
    code: 3,
    names: /cloudId|Cloud ID|kibanaUrl/,
    fix: /one of|either|remove|not both|--cloud-id|--kibana-url/i,
  },
  // Config file
  {
    name: "config file with bad YAML (tab indentation)",
    configText: { name: "sentinel-elastic.yaml", text: "elastic:\n\tkibanaUrl: https://kb\n" },
    code: 3,
    names: /sentinel-elastic\.yaml|line \d/,
    fix: /line \d+|YAML|indent/i,
    built: true,
  },
  {
    name: "JSON config file with a trailing comma",
    configText: { name: "sentinel-elastic.json", text: '{"elastic": {"kibanaUrl": "https://kb.example.com"}\n' },
    code: 3,
    names: /sentinel-elastic\.json|line \d/,
    fix: /line \d+|column/i,
  },
  {
    name: "config file with a misspelt key",
    inputs: () => ({ "elastic.kibanaURL": "https://kb.example.com" }),
    code: 3,
    names: /kibanaURL/,
    fix: /did you mean "elastic\.kibanaUrl"/,
  },
  {
    name: "config file with a key at the wrong level",
    configText: { name: "sentinel-elastic.yaml", text: "kibanaUrl: https://kb.example.com\n" },
    code: 3,
    names: /kibanaUrl/,
    fix: /elastic\.kibanaUrl/,
  },
  {
    name: "--config naming a file that does not exist",
    args: ["setup", "--yes", "--non-interactive", "--no-verify", "--config", "prod.yaml"],
    code: 3,
    names: /prod\.yaml/,
    fix: /--config/,
    built: true,
  },
  {
    name: "config file referring to an unset environment variable",
    inputs: () => ({ "elastic.apiKey": ENV_REF_TYPO }),
    env: () => ({ ELASTIC_API_KEY: undefined }),
    code: 3,
    names: /ELASTIC_KEY_TYPO/,
    fix: /set|export|environment/i,
  },
  // Enum values and formats
  {
    name: "unknown Azure cloud",
    inputs: () => ({ "azure.cloud": "AzurePublic" }),
    code: 3,
    names: /azure\.cloud|AZURE_CLOUD/,
    fix: /AzureCloud/,
  },
  {
    name: "unknown Azure credential kind (environment variable)",
    env: () => ({ AZURE_CREDENTIAL: "password" }),
    code: 3,
    names: /azure\.credential|AZURE_CREDENTIAL/,
    fix: /device-code|managed-identity/,
  },
  {
    name: "unknown Sentinel authorization",
    inputs: () => ({ "sentinel.authorization": "msi" }),
    code: 3,
    names: /sentinel\.authorization|SENTINEL_AUTHORIZATION/,
    fix: /managed-identity|oauth/,
  },
  {
    name: "unknown alert action (flag)",
    args: ["setup", "--yes", "--non-interactive", "--no-verify", "--alert-action", "batch"],
    code: 3,
    names: /alert-action|alerts\.action/,
    fix: /summary|per-alert/,
  },
  {
    name: "rule interval that is not a duration",
    inputs: () => ({ "rule.interval": "5 minutes" }),
    code: 3,
    names: /rule\.interval|SENTINEL_ELASTIC_RULE_INTERVAL/,
    fix: /5m|duration|--rule-interval/,
  },
  {
    name: "risk score out of range",
    inputs: () => ({ "rule.riskScore": 150 }),
    code: 3,
    names: /rule\.riskScore|SENTINEL_ELASTIC_RULE_RISK_SCORE/,
    fix: /100|--rule-risk-score/,
  },
  {
    name: "a feature switch that is not a boolean",
    env: () => ({ SENTINEL_ELASTIC_CASE_SYNC: "maybe" }),
    code: 3,
    names: /features\.caseSync|SENTINEL_ELASTIC_CASE_SYNC/,
    fix: /true|false/,
  },
  {
    name: "a misspelt flag",
    args: ["setup", "--yes", "--non-interactive", "--no-verify", "--kibana-ulr", "https://kb"],
    code: 3,
    names: /--kibana-ulr/,
    fix: /--kibana-url/,
    built: true,
  },
  // Azure identifiers and names
  {
    name: "subscription id that is not a GUID",
    inputs: () => ({ "azure.subscriptionId": "my-subscription" }),
    code: 3,
    names: /azure\.subscriptionId|AZURE_SUBSCRIPTION_ID/,
    fix: /GUID|--subscription-id/,
  },
  {
    name: "tenant id with braces",
    inputs: (w) => ({ "azure.tenantId": `{${w.azure.tenantId}}` }),
    code: 3,
    names: /azure\.tenantId|AZURE_TENANT_ID/,
    fix: /GUID|--tenant-id/,
  },
  {
    name: "a subscription the credential cannot see",
    inputs: () => ({ "azure.subscriptionId": GUID_OTHER }),
    code: 5,
    names: new RegExp(GUID_OTHER),
    fix: /azure\.subscriptionId|AZURE_SUBSCRIPTION_ID|tenant|sign in/i,
  },
  {
    name: "a workspace that does not exist",
    inputs: () => ({ "sentinel.workspaceName": "soc-wks" }),
    code: 5,
    names: /soc-wks/,
    fix: /sentinel\.workspaceName|SENTINEL_WORKSPACE_NAME|--workspace/,
  },
  {
    name: "a workspace without Microsoft Sentinel",
    inputs: () => ({ "sentinel.workspaceName": WS_PLAIN }),
    code: 5,
    names: new RegExp(WS_PLAIN),
    fix: /Microsoft Sentinel/,
  },
  {
    name: "the workspace's resource group does not exist",
    inputs: () => ({ "sentinel.resourceGroup": "rg-typo" }),
    code: 5,
    names: /rg-typo/,
    fix: /sentinel\.resourceGroup|--workspace-resource-group|SENTINEL_RESOURCE_GROUP/,
  },
  {
    name: "a location that is not an Azure region",
    inputs: () => ({ "azure.location": "west-europe" }),
    code: 3,
    names: /azure\.location|AZURE_LOCATION|west-europe/,
    fix: /westeurope|--location|region/,
  },
  {
    name: "a prefix Azure refuses in resource names",
    inputs: () => ({ "naming.prefix": "Elastic Sentinel!" }),
    code: 3,
    names: /naming\.prefix|SENTINEL_ELASTIC_PREFIX/,
    fix: /--prefix|letters|lowercase|a-z/i,
  },
  {
    name: "a prefix too long for Azure names",
    inputs: () => ({ "naming.prefix": "x".repeat(70) }),
    code: 3,
    names: /naming\.prefix|SENTINEL_ELASTIC_PREFIX/,
    fix: /--prefix|characters|at most/i,
  },
  {
    name: "a resource group name Azure refuses (ends with a period)",
    inputs: () => ({ "azure.resourceGroup": "rg-soc." }),
    code: 3,
    names: /azure\.resourceGroup|AZURE_RESOURCE_GROUP/,
    fix: /--resource-group|period|characters/i,
  },
  {
    name: "a workspace name Azure refuses (underscore, too short)",
    inputs: () => ({ "sentinel.workspaceName": "w_" }),
    code: 3,
    names: /sentinel\.workspaceName|SENTINEL_WORKSPACE_NAME/,
    fix: /--workspace|characters|letters/i,
  },
  {
    name: "an alerts table without the _CL suffix",
    inputs: () => ({ "alerts.table": "ElasticAlerts" }),
    code: 3,
    names: /alerts\.table|SENTINEL_ELASTIC_ALERTS_TABLE/,
    fix: /_CL/,
  },
  // Rule query, CA files, secrets
  {
    name: "a rule query Kibana cannot parse (unbalanced parenthesis)",
    inputs: () => ({ "rule.query": "message:(malware" }),
    code: 3,
    names: /rule\.query|SENTINEL_ELASTIC_RULE_QUERY|--rule-query/,
    fix: /parenthes|KQL/i,
  },
  {
    name: "a rule query with a dangling colon",
    inputs: () => ({ "rule.query": "message:" }),
    code: 3,
    names: /rule\.query|SENTINEL_ELASTIC_RULE_QUERY|--rule-query/,
    fix: /KQL|value|colon/i,
  },
  {
    name: "an Elastic CA file that does not exist",
    inputs: (_w, p) => ({ "elastic.caCertFile": `${p.dir}/no-such-ca.pem` }),
    code: 3,
    names: /no-such-ca\.pem/,
    fix: /elastic\.caCertFile|ELASTIC_CA_CERT|--elastic-ca-cert/,
  },
  {
    name: "an Azure CA file that does not exist",
    inputs: (_w, p) => ({ "azure.caCertFile": `${p.dir}/no-such-azure-ca.pem` }),
    code: 3,
    names: /no-such-azure-ca\.pem/,
    fix: /azure\.caCertFile|AZURE_CA_CERT|--azure-ca-cert/,
  },
  {
    name: "an Elastic CA file that is not PEM",
    inputs: (_w, p) => ({ "elastic.caCertFile": `${p.dir}/not-a-cert.pem` }),
    code: 3,
    names: /not-a-cert\.pem/,
    fix: /PEM.*(elastic\.caCertFile|ELASTIC_CA_CERT|--elastic-ca-cert)/s,
  },
  {
    name: "an Azure CA file that is not PEM",
    inputs: (_w, p) => ({ "azure.caCertFile": `${p.dir}/not-a-cert.pem` }),
    code: 3,
    names: /not-a-cert\.pem/,
    fix: /PEM.*(azure\.caCertFile|AZURE_CA_CERT|--azure-ca-cert)/s,
  },
  {
    name: "a rule interval in days (90d), which Kibana's rule schedule does not take",
    inputs: () => ({ "rule.interval": "90d" }),
    code: 3,
    names: /rule\.interval|SENTINEL_ELASTIC_RULE_INTERVAL/,
    fix: /24h|hours|--rule-interval/,
  },
  {
    name: "a rule interval below Kibana's 1m minimum",
    inputs: () => ({ "rule.interval": "30s" }),
    code: 3,
    names: /rule\.interval|SENTINEL_ELASTIC_RULE_INTERVAL/,
    fix: /at least 1m|--rule-interval/,
  },
  {
    name: "the API key given as a flag",
    args: ["setup", "--yes", "--non-interactive", "--no-verify", "--api-key", "flag-secret-value-1"],
    code: 3,
    names: /--api-key/,
    fix: /ELASTIC_API_KEY/,
    built: true,
  },
  {
    name: "the password given as --password=…",
    args: ["setup", "--yes", "--non-interactive", "--no-verify", "--password=flag-secret-value-2"],
    code: 3,
    names: /--password/,
    fix: /ELASTIC_PASSWORD/,
  },
  {
    name: "a client secret given as a flag",
    args: ["setup", "--yes", "--non-interactive", "--no-verify", "--client-secret", "flag-secret-value-3"],
    code: 3,
    names: /--client-secret/,
    fix: /AZURE_CLIENT_SECRET|SENTINEL_TO_ELASTIC_CLIENT_SECRET/,
  },
];

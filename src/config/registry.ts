/**
 * The one registry of inputs. `--help`, the README's input table, the prompts and the non-interactive
 * "missing inputs" error all read from here. Each entry maps one leaf of `ResolvedConfig` (config/schema.ts).
 *
 * Secrets have no flag: they come from the environment, the config file (with ${ENV} interpolation) or a
 * masked prompt, never from argv (visible in `ps` and shell history).
 */
import {
  alertActions,
  alertWebhookAuths,
  azureClouds,
  azureCredentials,
  closureTypes,
  elasticSeverities,
  sentinelAuthorizations,
  sentinelPortals,
  sentinelRuleKinds,
  sentinelSeverities,
} from "./choices.js";

export type InputType = "string" | "boolean" | "number" | "list" | "enum";

/** Which part of the product needs the input; `required` below says when. */
export type InputGroup =
  | "elastic"
  | "azure"
  | "sentinel"
  | "features"
  | "rule"
  | "alerts"
  | "cases"
  | "naming"
  | "sentinelToElastic";

/** A partially resolved configuration, as seen while deciding what is still required. */
export type PartialConfig = Record<string, unknown>;

export interface InputDef {
  /** Dotted path in the config file and in ResolvedConfig, e.g. `elastic.kibanaUrl`. */
  key: string;
  /** Long flag, e.g. `--kibana-url`; absent for secrets. Booleans also get `--no-<name>`. */
  flag?: string;
  env: string;
  type: InputType;
  choices?: readonly string[];
  default?: string | boolean | number | string[];
  /** One line for --help and the README. */
  description: string;
  /** The question asked interactively when the value is missing. */
  prompt: string;
  secret?: boolean;
  group: InputGroup;
  /** When the input must have a value (after defaults). Absent = optional. */
  required?: (cfg: PartialConfig) => boolean;
}

const get = (cfg: PartialConfig, key: string): unknown =>
  key
    .split(".")
    .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), cfg);

const azureNeeded = (cfg: PartialConfig) =>
  get(cfg, "features.caseSync") !== false ||
  get(cfg, "features.alertForwarding") !== false ||
  get(cfg, "features.sentinelToElastic") === true;

export const inputs: readonly InputDef[] = [
  // Elastic
  {
    key: "elastic.kibanaUrl",
    flag: "--kibana-url",
    env: "KIBANA_URL",
    type: "string",
    group: "elastic",
    description: "Kibana base URL (https://…). Not needed with a Cloud ID.",
    prompt: "Kibana URL",
    required: (cfg) => !get(cfg, "elastic.cloudId"),
  },
  {
    key: "elastic.elasticsearchUrl",
    flag: "--elasticsearch-url",
    env: "ELASTICSEARCH_URL",
    type: "string",
    group: "elastic",
    description: "Elasticsearch URL, for the test document and alert checks. Not needed with a Cloud ID.",
    prompt: "Elasticsearch URL",
    required: (cfg) => !get(cfg, "elastic.cloudId"),
  },
  {
    key: "elastic.cloudId",
    flag: "--cloud-id",
    env: "ELASTIC_CLOUD_ID",
    type: "string",
    group: "elastic",
    description: "Elastic Cloud ID; gives both the Kibana and the Elasticsearch URL.",
    prompt: "Elastic Cloud ID (leave empty to give URLs instead)",
  },
  {
    key: "elastic.space",
    flag: "--space",
    env: "KIBANA_SPACE",
    type: "string",
    default: "default",
    group: "elastic",
    description: "Kibana space that holds the connectors, case settings and rule.",
    prompt: "Kibana space",
  },
  {
    key: "elastic.apiKey",
    env: "ELASTIC_API_KEY",
    type: "string",
    secret: true,
    group: "elastic",
    description: "Elastic API key (the encoded value). Or give username and password.",
    prompt: "Elastic API key",
    required: (cfg) => !get(cfg, "elastic.username"),
  },
  {
    key: "elastic.username",
    flag: "--elastic-username",
    env: "ELASTIC_USERNAME",
    type: "string",
    group: "elastic",
    description: "Elastic username, when not using an API key.",
    prompt: "Elastic username",
  },
  {
    key: "elastic.password",
    env: "ELASTIC_PASSWORD",
    type: "string",
    secret: true,
    group: "elastic",
    description: "Elastic password for the username.",
    prompt: "Elastic password",
    required: (cfg) => Boolean(get(cfg, "elastic.username")) && !get(cfg, "elastic.apiKey"),
  },
  {
    key: "elastic.caCertFile",
    flag: "--elastic-ca-cert",
    env: "ELASTIC_CA_CERT",
    type: "string",
    group: "elastic",
    description: "PEM file of a CA to trust for Kibana and Elasticsearch (self-managed clusters).",
    prompt: "CA certificate file for Kibana/Elasticsearch",
  },
  // Azure
  {
    key: "azure.cloud",
    flag: "--azure-cloud",
    env: "AZURE_CLOUD",
    type: "enum",
    choices: azureClouds,
    default: "AzureCloud",
    group: "azure",
    description: "Azure cloud: sets the Resource Manager, Log Analytics and portal endpoints.",
    prompt: "Azure cloud",
  },
  {
    key: "azure.endpoints.resourceManager",
    flag: "--azure-resource-manager-url",
    env: "AZURE_RESOURCE_MANAGER_URL",
    type: "string",
    group: "azure",
    description: "Override the cloud's Resource Manager endpoint.",
    prompt: "Azure Resource Manager endpoint",
  },
  {
    key: "azure.endpoints.logAnalytics",
    flag: "--azure-log-analytics-url",
    env: "AZURE_LOG_ANALYTICS_URL",
    type: "string",
    group: "azure",
    description: "Override the cloud's Log Analytics query endpoint.",
    prompt: "Log Analytics query endpoint",
  },
  {
    key: "azure.endpoints.portal",
    flag: "--azure-portal-url",
    env: "AZURE_PORTAL_URL",
    type: "string",
    group: "azure",
    description: "Override the cloud's portal URL (used in incident links).",
    prompt: "Azure portal URL",
  },
  {
    key: "azure.endpoints.defenderPortal",
    flag: "--defender-portal-url",
    env: "AZURE_DEFENDER_PORTAL_URL",
    type: "string",
    group: "azure",
    description: "Override the Microsoft Defender portal URL (incident links when sentinel.portal is defender).",
    prompt: "Microsoft Defender portal URL",
  },
  {
    key: "azure.endpoints.login",
    flag: "--azure-login-url",
    env: "AZURE_LOGIN_URL",
    type: "string",
    group: "azure",
    description:
      "Override the cloud's Microsoft Entra login endpoint that Kibana's alert connector gets its OAuth2 token from (the accessTokenUrl).",
    prompt: "Microsoft Entra login endpoint",
  },
  {
    key: "azure.endpoints.graph",
    flag: "--azure-graph-url",
    env: "AZURE_GRAPH_URL",
    type: "string",
    group: "azure",
    description:
      "Override the cloud's Microsoft Graph endpoint (finds the integration's service principal). With Resource Manager overridden, Graph is called only when this is set.",
    prompt: "Microsoft Graph endpoint",
  },
  {
    key: "azure.tenantId",
    flag: "--tenant-id",
    env: "AZURE_TENANT_ID",
    type: "string",
    group: "azure",
    description: "Microsoft Entra tenant id (GUID).",
    prompt: "Azure tenant id",
  },
  {
    key: "azure.subscriptionId",
    flag: "--subscription-id",
    env: "AZURE_SUBSCRIPTION_ID",
    type: "string",
    group: "azure",
    description: "Azure subscription id (GUID) for the Logic Apps and the workspace.",
    prompt: "Azure subscription id",
    required: azureNeeded,
  },
  {
    key: "azure.resourceGroup",
    flag: "--resource-group",
    env: "AZURE_RESOURCE_GROUP",
    type: "string",
    group: "azure",
    description: "Resource group for the Logic Apps and the data collection rule.",
    prompt: "Resource group for the Logic Apps",
    required: azureNeeded,
  },
  {
    key: "azure.location",
    flag: "--location",
    env: "AZURE_LOCATION",
    type: "string",
    group: "azure",
    description: "Azure region for new resources (default: the resource group's region).",
    prompt: "Azure region",
  },
  {
    key: "azure.caCertFile",
    flag: "--azure-ca-cert",
    env: "AZURE_CA_CERT",
    type: "string",
    group: "azure",
    description: "PEM file of a CA to trust for Azure endpoints (proxies, the sandbox).",
    prompt: "CA certificate file for Azure endpoints",
  },
  {
    key: "azure.credential",
    flag: "--azure-credential",
    env: "AZURE_CREDENTIAL",
    type: "enum",
    choices: azureCredentials,
    default: "default",
    group: "azure",
    description:
      "How to sign in to Azure: the default chain, the Azure CLI, environment variables, device code, browser or managed identity.",
    prompt: "Azure sign-in method",
  },
  // Sentinel
  {
    key: "sentinel.workspaceName",
    flag: "--workspace",
    env: "SENTINEL_WORKSPACE_NAME",
    type: "string",
    group: "sentinel",
    description: "Log Analytics workspace with Microsoft Sentinel.",
    prompt: "Sentinel workspace name",
    required: azureNeeded,
  },
  {
    key: "sentinel.resourceGroup",
    flag: "--workspace-resource-group",
    env: "SENTINEL_RESOURCE_GROUP",
    type: "string",
    group: "sentinel",
    description: "Resource group of the workspace (default: the Logic Apps' resource group).",
    prompt: "Resource group of the Sentinel workspace",
  },
  {
    key: "sentinel.authorization",
    flag: "--sentinel-authorization",
    env: "SENTINEL_AUTHORIZATION",
    type: "enum",
    choices: sentinelAuthorizations,
    default: "managed-identity",
    group: "sentinel",
    description: "How the Logic Apps act on Sentinel: a managed identity (no portal click) or an OAuth API connection.",
    prompt: "Sentinel authorization for the Logic Apps",
  },
  {
    key: "sentinel.portal",
    flag: "--sentinel-portal",
    env: "SENTINEL_PORTAL",
    type: "enum",
    choices: sentinelPortals,
    default: "auto",
    group: "sentinel",
    description:
      "Where analysts work the workspace's incidents: auto (detected in preflight), defender (the Microsoft Defender portal: case sync through an analytics rule, links to security.microsoft.com) or azure (the Azure portal, supported until 2027-03-31).",
    prompt: "Portal of the Sentinel workspace",
  },
  // Features
  {
    key: "features.caseSync",
    flag: "--case-sync",
    env: "SENTINEL_ELASTIC_CASE_SYNC",
    type: "boolean",
    default: true,
    group: "features",
    description: "Sync Kibana cases to Sentinel incidents.",
    prompt: "Sync Kibana cases to Sentinel incidents?",
  },
  {
    key: "features.alertForwarding",
    flag: "--alert-forwarding",
    env: "SENTINEL_ELASTIC_ALERT_FORWARDING",
    type: "boolean",
    default: true,
    group: "features",
    description: "Forward Elastic detection alerts to Sentinel (ElasticAlerts_CL and an analytics rule).",
    prompt: "Forward Elastic alerts to Sentinel?",
  },
  {
    key: "features.sentinelToElastic",
    flag: "--sentinel-to-elastic",
    env: "SENTINEL_ELASTIC_SENTINEL_TO_ELASTIC",
    type: "boolean",
    default: false,
    group: "features",
    description: "Collect Sentinel alerts and incidents into Elastic (microsoft_sentinel integration).",
    prompt: "Also bring Sentinel alerts and incidents into Elastic?",
  },
  // Rule
  {
    key: "rule.query",
    flag: "--rule-query",
    env: "SENTINEL_ELASTIC_RULE_QUERY",
    type: "string",
    default: "message:malware",
    group: "rule",
    description: "KQL query of the detection rule whose alerts are forwarded.",
    prompt: "Detection rule query (KQL)",
  },
  {
    key: "rule.index",
    flag: "--rule-index",
    env: "SENTINEL_ELASTIC_RULE_INDEX",
    type: "list",
    group: "rule",
    description:
      "Index patterns the rule searches, comma-separated (default: the security default indices and the test data stream).",
    prompt: "Index patterns for the rule (comma-separated)",
  },
  {
    key: "rule.interval",
    flag: "--rule-interval",
    env: "SENTINEL_ELASTIC_RULE_INTERVAL",
    type: "string",
    default: "5m",
    group: "rule",
    description: "How often the rule runs (e.g. 1m, 5m, 1h).",
    prompt: "Rule interval",
  },
  {
    key: "rule.severity",
    flag: "--rule-severity",
    env: "SENTINEL_ELASTIC_RULE_SEVERITY",
    type: "enum",
    choices: elasticSeverities,
    default: "high",
    group: "rule",
    description: "Severity of the rule's alerts.",
    prompt: "Rule severity",
  },
  {
    key: "rule.riskScore",
    flag: "--rule-risk-score",
    env: "SENTINEL_ELASTIC_RULE_RISK_SCORE",
    type: "number",
    default: 73,
    group: "rule",
    description: "Risk score of the rule's alerts (0-100).",
    prompt: "Rule risk score",
  },
  {
    key: "rule.sentinelKind",
    flag: "--sentinel-rule-kind",
    env: "SENTINEL_ELASTIC_SENTINEL_RULE_KIND",
    type: "enum",
    choices: sentinelRuleKinds,
    default: "nrt",
    group: "rule",
    description: "Sentinel analytics rule on ElasticAlerts_CL: near-real-time (preview API) or scheduled.",
    prompt: "Sentinel analytics rule kind",
  },
  // Alerts
  {
    key: "alerts.action",
    flag: "--alert-action",
    env: "SENTINEL_ELASTIC_ALERT_ACTION",
    type: "enum",
    choices: alertActions,
    default: "summary",
    group: "alerts",
    description: "One webhook call per rule run with all alerts (summary) or one per alert.",
    prompt: "Send alerts as a summary per rule run, or one call per alert?",
  },
  {
    key: "alerts.webhookAuth",
    flag: "--alert-webhook-auth",
    env: "SENTINEL_ELASTIC_ALERT_WEBHOOK_AUTH",
    type: "enum",
    choices: alertWebhookAuths,
    default: "auto",
    group: "alerts",
    description:
      "How the alert connector authenticates to the alert-ingest Logic App: oauth2 (an Entra ID app registration of ours, Kibana 9.2+; the connector holds no callback signature), sas (the callback URL with its sig, readable by whoever may read connectors) or auto (oauth2 when Kibana is 9.2+ and the Azure sign-in may register applications, else sas).",
    prompt: "How should the alert connector authenticate to the Logic App?",
  },
  {
    key: "alerts.table",
    flag: "--alerts-table",
    env: "SENTINEL_ELASTIC_ALERTS_TABLE",
    type: "string",
    default: "ElasticAlerts_CL",
    group: "alerts",
    description: "Log Analytics custom table for forwarded alerts (must end in _CL).",
    prompt: "Log Analytics table for Elastic alerts",
  },
  // Cases
  {
    key: "cases.criticalSeverity",
    flag: "--critical-severity",
    env: "SENTINEL_ELASTIC_CRITICAL_SEVERITY",
    type: "enum",
    choices: sentinelSeverities,
    default: "High",
    group: "cases",
    description: "Sentinel severity for critical Kibana cases (Sentinel has no Critical).",
    prompt: "Sentinel severity for critical cases",
  },
  {
    key: "cases.closureType",
    flag: "--closure-type",
    env: "SENTINEL_ELASTIC_CLOSURE_TYPE",
    type: "enum",
    choices: closureTypes,
    group: "cases",
    description: "Kibana case closure type to set (default: keep the current one).",
    prompt: "Close cases when pushed, or only by hand?",
  },
  // Naming
  {
    key: "naming.prefix",
    flag: "--prefix",
    env: "SENTINEL_ELASTIC_PREFIX",
    type: "string",
    default: "elastic-sentinel",
    group: "naming",
    description: "Prefix of every name and id we create; teardown removes only objects with it.",
    prompt: "Name prefix",
  },
  // The way back: Sentinel alerts and incidents into Elastic (microsoft_sentinel integration)
  {
    key: "sentinelToElastic.tenantId",
    flag: "--integration-tenant-id",
    env: "SENTINEL_TO_ELASTIC_TENANT_ID",
    type: "string",
    group: "sentinelToElastic",
    description: "Tenant of the app registration the integration signs in with (default: azure.tenantId).",
    prompt: "Tenant id of the integration's app registration",
  },
  {
    key: "sentinelToElastic.clientId",
    flag: "--integration-client-id",
    env: "SENTINEL_TO_ELASTIC_CLIENT_ID",
    type: "string",
    group: "sentinelToElastic",
    description: "Client id of an existing app registration the integration uses to read Sentinel.",
    prompt: "Client id of the integration's app registration",
    required: (cfg) => get(cfg, "features.sentinelToElastic") === true,
  },
  {
    key: "sentinelToElastic.clientSecret",
    env: "SENTINEL_TO_ELASTIC_CLIENT_SECRET",
    type: "string",
    secret: true,
    group: "sentinelToElastic",
    description: "Client secret of that app registration (stored only in the package policy's secret vars).",
    prompt: "Client secret of the integration's app registration",
    required: (cfg) => get(cfg, "features.sentinelToElastic") === true,
  },
  {
    key: "sentinelToElastic.agentPolicyId",
    flag: "--agent-policy-id",
    env: "SENTINEL_TO_ELASTIC_AGENT_POLICY_ID",
    type: "string",
    group: "sentinelToElastic",
    description:
      "Fleet agent policy for the integration (default: a new `sentinel-elastic` policy; `agentless` where offered).",
    prompt: "Fleet agent policy id (empty: create one)",
  },
  {
    key: "sentinelToElastic.interval",
    flag: "--integration-interval",
    env: "SENTINEL_TO_ELASTIC_INTERVAL",
    type: "string",
    default: "5m",
    group: "sentinelToElastic",
    description: "How often the integration polls Sentinel for alerts and incidents.",
    prompt: "Polling interval",
  },
  {
    key: "sentinelToElastic.eventHub.name",
    flag: "--event-hub",
    env: "SENTINEL_TO_ELASTIC_EVENT_HUB",
    type: "string",
    group: "sentinelToElastic",
    description: "Event Hub with Sentinel events (optional; enables the event stream).",
    prompt: "Event Hub name (empty: skip events)",
  },
  {
    key: "sentinelToElastic.eventHub.consumerGroup",
    flag: "--event-hub-consumer-group",
    env: "SENTINEL_TO_ELASTIC_EVENT_HUB_CONSUMER_GROUP",
    type: "string",
    default: "$Default",
    group: "sentinelToElastic",
    description: "Event Hub consumer group.",
    prompt: "Event Hub consumer group",
  },
  {
    key: "sentinelToElastic.eventHub.connectionString",
    env: "SENTINEL_TO_ELASTIC_EVENT_HUB_CONNECTION_STRING",
    type: "string",
    secret: true,
    group: "sentinelToElastic",
    description: "Event Hub connection string.",
    prompt: "Event Hub connection string",
    required: (cfg) => Boolean(get(cfg, "sentinelToElastic.eventHub.name")),
  },
  {
    key: "sentinelToElastic.eventHub.storageAccount",
    flag: "--event-hub-storage-account",
    env: "SENTINEL_TO_ELASTIC_STORAGE_ACCOUNT",
    type: "string",
    group: "sentinelToElastic",
    description: "Storage account the Event Hub input keeps its checkpoints in.",
    prompt: "Storage account for Event Hub checkpoints",
    required: (cfg) => Boolean(get(cfg, "sentinelToElastic.eventHub.name")),
  },
  {
    key: "sentinelToElastic.eventHub.storageAccountKey",
    env: "SENTINEL_TO_ELASTIC_STORAGE_ACCOUNT_KEY",
    type: "string",
    secret: true,
    group: "sentinelToElastic",
    description: "Key of that storage account.",
    prompt: "Storage account key",
    required: (cfg) => Boolean(get(cfg, "sentinelToElastic.eventHub.name")),
  },
];

export function findInput(key: string): InputDef | undefined {
  return inputs.find((i) => i.key === key);
}

/** "--kibana-url, KIBANA_URL, or elastic.kibanaUrl in the config file" */
export function whereToSet(def: InputDef): string {
  const parts = [def.flag, def.env].filter(Boolean).join(", ");
  return `${parts}, or ${def.key} in the config file`;
}

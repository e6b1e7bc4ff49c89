/**
 * The package registry the Fleet emulator offers: `microsoft_sentinel` in a few versions, each with the
 * parts of its manifest Fleet uses (conditions, policy template inputs and vars, data stream streams and vars).
 * 1.1.1 and 1.2.0 follow the stored manifests (elastic/integrations packages/microsoft_sentinel/manifest.yml).
 * The pre-1.0 entries stand for the older line (0.x supported 8.x before 8.18; "0.4.0 support 9.0"); their
 * exact ranges are sandbox assumptions, there so version choice can be exercised.
 */
import type { ManifestVar } from "./wire.js";

export interface CatalogueStream {
  dataset: string;
  input: string;
  enabled: boolean;
  vars: ManifestVar[];
}

export interface CataloguePackage {
  name: string;
  version: string;
  title: string;
  kibanaRange: string;
  agentless: boolean;
  policyTemplate: string;
  inputs: { type: string; vars: ManifestVar[] }[];
  streams: CatalogueStream[];
}

const text = (name: string, extra: Partial<ManifestVar> = {}): ManifestVar => ({ name, type: "text", ...extra });

const celVars: ManifestVar[] = [
  text("client_id", { required: true, secret: true }),
  { name: "client_secret", type: "password", required: true, secret: true },
  text("login_url", { required: true, default: "https://login.microsoftonline.com" }),
  text("url", { required: true, default: "https://management.azure.com" }),
  text("tenant_id", { required: true }),
  text("resource_group_name", { required: true }),
  text("subscription_id", { required: true }),
  text("workspace_name", { required: true }),
  text("proxy_url"),
  { name: "ssl", type: "yaml" },
];

const common = (dataset: string): ManifestVar[] => [
  text("tags", { multi: true, required: true, default: ["forwarded", `microsoft_sentinel-${dataset}`] }),
  { name: "preserve_original_event", type: "bool", default: false },
  { name: "preserve_duplicate_custom_fields", type: "bool" },
  { name: "processors", type: "yaml" },
];

const celStreamVars = (dataset: string): ManifestVar[] => [
  text("initial_interval", { required: true, default: "24h" }),
  text("interval", { required: true, default: "5m" }),
  { name: "batch_size", type: "integer", required: true, default: 1000 },
  text("http_client_timeout", { required: true, default: "30s" }),
  { name: "enable_request_tracer", type: "bool", default: false },
  ...common(dataset),
];

const eventVars: ManifestVar[] = [
  text("eventhub", { required: true }),
  text("consumer_group", { required: true, default: "$Default" }),
  { name: "connection_string", type: "password", secret: true },
  text("storage_account", { required: true }),
  { name: "storage_account_key", type: "password", secret: true },
  text("storage_account_container"),
  text("resource_manager_endpoint"),
  ...common("event"),
];

function sentinel(version: string, kibanaRange: string, agentless: boolean): CataloguePackage {
  return {
    name: "microsoft_sentinel",
    version,
    title: "Microsoft Sentinel",
    kibanaRange,
    agentless,
    policyTemplate: "microsoft_sentinel",
    inputs: [
      { type: "cel", vars: celVars },
      { type: "azure-eventhub", vars: [] },
    ],
    streams: [
      { dataset: "microsoft_sentinel.alert", input: "cel", enabled: false, vars: celStreamVars("alert") },
      { dataset: "microsoft_sentinel.incident", input: "cel", enabled: false, vars: celStreamVars("incident") },
      { dataset: "microsoft_sentinel.event", input: "azure-eventhub", enabled: false, vars: eventVars },
    ],
  };
}

export function defaultCatalogue(): CataloguePackage[] {
  return [
    sentinel("0.3.0", "^8.8.0", false),
    sentinel("0.4.0", "^8.13.0 || ^9.0.0", false),
    sentinel("1.1.1", "^8.18.0 || ^9.0.0", true),
    sentinel("1.2.0", "^8.18.0 || ^9.0.0", true),
  ];
}

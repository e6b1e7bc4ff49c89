/**
 * Lazily created clients, one per remote. Heavy SDKs (Azure, Elasticsearch) are imported only when a step
 * first asks for them, so `--help` and Kibana-only runs never load them.
 */
import type { TokenCredential } from "@azure/identity";
import type { ResolvedConfig } from "../config/schema.js";

/** One HTTP exchange, for --debug (method, URL redacted by the caller, status, duration). */
export interface HttpEvent {
  remote: "kibana" | "elasticsearch" | "azure" | "logic-app";
  method: string;
  url: string;
  status?: number;
  durationMs: number;
  error?: string;
}

/** What a caller (demo, tests of the library API) may supply instead of what config implies. */
export interface ClientOverrides {
  /** Use this Azure credential rather than the one `azure.credential` selects (demo: the sandbox's). */
  azureCredential?: TokenCredential;
  /** Extra PEM CAs to trust for Azure endpoints (in addition to azure.caCertFile). */
  azureCaCerts?: string[];
  /** Extra PEM CAs to trust for Kibana/Elasticsearch (in addition to elastic.caCertFile). */
  elasticCaCerts?: string[];
  /** Logs endpoint for the Logs Ingestion API when it cannot be read from the DCR (tests only). */
  onHttp?: (event: HttpEvent) => void;
}

type KibanaModule = typeof import("../kibana/client.js");
type AzureModule = typeof import("../azure/client.js");
type ElasticModule = typeof import("../elastic/client.js");

export type KibanaClient = Awaited<ReturnType<KibanaModule["createKibanaClient"]>>;
export type AzureClients = Awaited<ReturnType<AzureModule["createAzureClients"]>>;
export type ElasticsearchClient = Awaited<ReturnType<ElasticModule["createElasticsearchClient"]>>;

export interface Clients {
  kibana(): Promise<KibanaClient>;
  elasticsearch(): Promise<ElasticsearchClient>;
  azure(): Promise<AzureClients>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= make();
    // A failed creation (bad CA file, no credential) may be fixed and retried by the caller.
    p.catch(() => {
      p = undefined;
    });
    return p;
  };
}

export function createClients(config: ResolvedConfig, overrides: ClientOverrides = {}): Clients {
  return {
    kibana: once(async () => (await import("../kibana/client.js")).createKibanaClient(config, overrides)),
    elasticsearch: once(async () =>
      (await import("../elastic/client.js")).createElasticsearchClient(config, overrides),
    ),
    azure: once(async () => (await import("../azure/client.js")).createAzureClients(config, overrides)),
  };
}

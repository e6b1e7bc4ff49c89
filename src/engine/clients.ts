/**
 * Lazily created clients, one per remote. Heavy SDKs (Azure, Elasticsearch) are imported only when a step
 * first asks for them, so `--help` and Kibana-only runs never load them.
 */
import type { ResolvedConfig } from "../config/schema.js";
import type { ClientOverrides } from "./client-options.js";

export type { ClientOverrides, HttpEvent } from "./client-options.js";

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

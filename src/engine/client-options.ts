/**
 * The types the clients share with the engine, in a leaf module: the clients import these, and the engine's
 * `clients.ts` imports the clients, so keeping them apart is what keeps the two from importing each other.
 */
import type { TokenCredential } from "@azure/identity";

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
  /**
   * How a client waits between its retries (429 Retry-After, 5xx, resets). The step context passes its own
   * sleep: interruptible by Ctrl-C, and on the sandbox's clock in demo and tests, where a retry's second then
   * passes in milliseconds. Default: real time.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Called after every HTTP exchange (what `--debug` prints; tests record with it). */
  onHttp?: (event: HttpEvent) => void;
}

/**
 * The Kibana client the steps use: one KibanaHttp (headers, retries, error mapping) and one small typed
 * function per endpoint, bound to it. Created lazily by engine/clients.ts.
 */
import type { ResolvedConfig } from "../config/schema.js";
import type { ClientOverrides } from "../engine/client-options.js";
import * as cases from "./cases.js";
import * as configure from "./cases-configure.js";
import { resolveConnection } from "../elastic/connection.js";
import * as connectors from "./connectors.js";
import { createKibanaHttp, type KibanaHttp, type KibanaHttpOptions } from "./http.js";
import * as rules from "./rules.js";
import * as status from "./status.js";

type Bound<F> = F extends (http: KibanaHttp, ...args: infer A) => infer R ? (...args: A) => R : never;

function bind<M extends Record<string, unknown>>(http: KibanaHttp, mod: M) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) {
    if (typeof v === "function") out[k] = (...args: unknown[]) => (v as (...a: unknown[]) => unknown)(http, ...args);
  }
  return out as {
    [K in keyof M as M[K] extends (http: KibanaHttp, ...a: never[]) => unknown ? K : never]: Bound<M[K]>;
  };
}

export function kibanaApi(http: KibanaHttp) {
  return {
    http,
    baseUrl: http.baseUrl,
    space: http.space,
    ...bind(http, status),
    ...bind(http, connectors),
    ...bind(http, configure),
    ...bind(http, cases),
    ...bind(http, rules),
  };
}

export type KibanaApi = ReturnType<typeof kibanaApi>;

export async function createKibanaClient(
  config: ResolvedConfig,
  overrides: ClientOverrides = {},
  httpOptions: Partial<KibanaHttpOptions> = {},
): Promise<KibanaApi> {
  const conn = await resolveConnection(config, overrides.elasticCaCerts);
  const http = createKibanaHttp({
    baseUrl: conn.kibanaUrl,
    space: conn.space,
    auth: conn.auth,
    caCerts: conn.caCerts,
    onHttp: overrides.onHttp,
    sleep: overrides.sleep,
    ...httpOptions,
  });
  return kibanaApi(http);
}

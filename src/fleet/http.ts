/**
 * Fleet endpoint functions take the Kibana client's one HTTP seam (src/kibana/http.ts): it carries the
 * headers (`kbn-xsrf`, `Elastic-Api-Version`, auth), the space prefix, timeouts, retries and error mapping.
 * Fleet routes are space-aware from 9.1 (space awareness) and ignore the prefix before, so the default
 * space-scoped request is right for both.
 */
import type { KibanaHttp } from "../kibana/http.js";

export type FleetHttp = KibanaHttp;

/** `kuery` string literal: KQL quotes with backslash escapes. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

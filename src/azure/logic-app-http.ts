/**
 * Calls to our own Logic Apps' trigger URLs (the sentinel-authorization check). The URL carries the `sig`
 * credential: it is registered as a secret by whoever read it, and errors show it through describeUrl only.
 */
import { describeUrl } from "../redact.js";
import type { HttpClient, HttpResult } from "./pipeline.js";

export interface LogicAppCaller {
  call<T = unknown>(method: "GET" | "POST", callbackUrl: string, body?: unknown, query?: Record<string, string>): Promise<HttpResult<T>>;
}

export function createLogicAppCaller(http: HttpClient): LogicAppCaller {
  return {
    call: (method, callbackUrl, body, query) =>
      http.request(method, callbackUrl, {
        body,
        query,
        // Every answer is data for the caller (our workflows answer JSON errors on purpose).
        accept: [400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504],
        what: `calling ${describeUrl(callbackUrl)}`,
        noRetry: true,
      }),
  };
}

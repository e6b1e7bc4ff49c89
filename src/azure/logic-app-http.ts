/**
 * Calls to our own Logic Apps' trigger URLs (the authorization probes). The URL carries the `sig` credential:
 * it is registered as a secret by whoever read it, and errors show it through describeUrl only.
 */
import { describeUrl } from "../redact.js";
import type { HttpClient, HttpResult } from "./pipeline.js";

export interface LogicAppCaller {
  /**
   * Only for calls that are safe to repeat (our probes: a read of the nil incident, a comment on it, a row the
   * DCR transform drops): 429, 500, 503, 504 and resets are retried with backoff (Retry-After honoured) and a
   * bound, then thrown as a RemoteError.
   */
  call<T = unknown>(
    method: "GET" | "POST",
    callbackUrl: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<HttpResult<T>>;
}

export function createLogicAppCaller(http: HttpClient): LogicAppCaller {
  return {
    call: (method, callbackUrl, body, query) =>
      http.request(method, callbackUrl, {
        body,
        query,
        // Our workflows' own answers are data for the caller: 200, 400, 404, and 502 when an action they call
        // failed (templates/azure: the Response actions). 429/500/503/504 and resets come from the trigger
        // endpoint in front of them, not from our workflow logic: the client retries those.
        accept: [400, 401, 403, 404, 409, 412, 502],
        what: `calling ${describeUrl(callbackUrl)}`,
      }),
  };
}

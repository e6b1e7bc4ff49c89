/**
 * Outbound HTTP with Logic Apps' retry policies (learn.microsoft.com/azure/logic-apps/logic-apps-exception-handling#retry-policies):
 * - default: exponential interval, up to 4 retries, intervals scaled by 7.5 s and capped between 5 s and 45 s;
 * - `none`; `fixed` (count, interval); `exponential` (count, interval, minimumInterval, maximumInterval).
 * Retries happen on 408, 429, 5xx and connection failures; a `Retry-After` header sets the wait. Waits run on the
 * sandbox clock, so tests step through them with `clock.advance` instead of sleeping.
 */
import { STATUS_CODES } from "node:http";
import { parseDuration } from "./definition.js";
import { ActionError } from "./errors.js";
import { isObject } from "./expression/values.js";
import type { ActionRecord, HostHttpRequest, HostHttpResponse, LogicHost } from "./types.js";

export interface RetryPolicy {
  count: number;
  delay(attempt: number): number;
}

const S = 1000;

export function retryPolicyOf(p: unknown, actionName: string): RetryPolicy {
  const bad = (why: string): never => {
    throw new ActionError("InvalidTemplate", `The retry policy of action '${actionName}' is not valid: ${why}.`);
  };
  const dur = (v: unknown, field: string, dflt?: number): number => {
    if (v === undefined && dflt !== undefined) return dflt;
    const ms = typeof v === "string" ? parseDuration(v) : undefined;
    return ms ?? bad(`'${field}' must be an ISO 8601 duration`);
  };
  const expo = (count: number, interval: number, min: number, max: number): RetryPolicy => ({
    count,
    delay: (n) => Math.min(max, Math.max(min, interval * 2 ** (n - 1))),
  });
  if (p === undefined || p === null) return expo(4, 7.5 * S, 5 * S, 45 * S);
  if (!isObject(p)) return bad("it must be an object");
  const type = String(p.type ?? "").toLowerCase();
  const count = (): number => {
    const c = p.count;
    return typeof c === "number" && Number.isInteger(c) && c >= 1 && c <= 90
      ? c
      : bad("'count' must be an integer from 1 to 90");
  };
  if (type === "default") return expo(4, 7.5 * S, 5 * S, 45 * S);
  if (type === "none") return { count: 0, delay: () => 0 };
  if (type === "fixed") {
    const interval = dur(p.interval, "interval");
    return { count: count(), delay: () => interval };
  }
  if (type === "exponential")
    return expo(
      count(),
      dur(p.interval, "interval"),
      dur(p.minimumInterval, "minimumInterval", 5 * S),
      dur(p.maximumInterval, "maximumInterval", 3600 * S),
    );
  return bad(`type '${String(p.type)}' is not one of default, none, fixed, exponential`);
}

/** "Forbidden", "NotFound", "OK": the ARM `code` of an HTTP-like action. */
export function statusName(status: number): string {
  if (status === 200) return "OK";
  return (STATUS_CODES[status] ?? `Status${status}`).replace(/[^A-Za-z]/g, "");
}

const retryable = (s: number) => s === 408 || s === 429 || s >= 500;

function retryAfterMs(res: HostHttpResponse, now: number): number | undefined {
  const h = Object.entries(res.headers).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  if (!h) return undefined;
  if (/^\d+$/.test(h.trim())) return Number(h) * S;
  const t = Date.parse(h);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function delay(host: LogicHost, ms: number): Promise<void> {
  return host.clock.sleep(ms);
}

const iso = (t: number) => new Date(t).toISOString();

export async function sendWithRetries(
  host: LogicHost,
  req: HostHttpRequest,
  policy: RetryPolicy,
): Promise<{ res: HostHttpResponse; retryHistory: NonNullable<ActionRecord["retryHistory"]> }> {
  const retryHistory: NonNullable<ActionRecord["retryHistory"]> = [];
  for (let attempt = 0; ; attempt++) {
    const start = host.clock.now();
    let res: HostHttpResponse | undefined;
    let failure: string | undefined;
    try {
      res = await host.http(req);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    const done = res ? !retryable(res.status) : false;
    if (done || attempt >= policy.count) {
      if (res) return { res, retryHistory };
      throw new ActionError("BadRequest", `Http request failed as there is an error: '${failure}'.`);
    }
    const code = res ? statusName(res.status) : "BadRequest";
    retryHistory.push({
      startTime: iso(start),
      endTime: iso(host.clock.now()),
      code,
      ...(failure ? { error: { code, message: failure } } : {}),
    });
    await delay(host, (res && retryAfterMs(res, host.clock.now())) ?? policy.delay(attempt + 1));
  }
}

/** The outputs Azure records for an HTTP-like action: status code, headers, and the body (JSON when it is JSON). */
export function httpOutputs(res: HostHttpResponse): {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
} {
  const type = Object.entries(res.headers).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
  let body: unknown = res.body;
  if (res.body && /json/i.test(type)) {
    try {
      body = JSON.parse(res.body);
    } catch {
      body = res.body;
    }
  }
  return { statusCode: res.status, headers: res.headers, ...(res.body ? { body } : {}) };
}

/**
 * The one HTTP client for Kibana: headers (kbn-xsrf, JSON, Elastic-Api-Version, a versioned user agent,
 * auth), a timeout, no redirects (a webhook-style 301/302 turns POST into GET: kibana#266724, and a
 * redirect here means the URL is wrong), bounded retries of idempotent calls with backoff that honours
 * Retry-After, the space prefix, and one error mapping (http-errors.ts). Every exchange is reported to
 * `onHttp` for --debug.
 */
import { Agent as HttpsAgent } from "node:https";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { HttpEvent } from "../engine/client-options.js";
import { describeUrl, redact } from "../redact.js";
import { authorizationHeader, type ElasticAuth } from "../elastic/connection.js";
import { type KibanaErrorContext, mapKibanaNetworkError, mapKibanaStatus } from "./http-errors.js";
import {
  backoffDelay,
  defaultRetryPolicy,
  isTimeout,
  parseRetryAfter,
  RETRYABLE_NETWORK,
  RETRYABLE_STATUS,
  type RetryPolicy,
} from "./retry-policy.js";
import { userAgent } from "../elastic/user-agent.js";
import { trustContext } from "../lib/trust.js";

/** The public API version (`Elastic-Api-Version`, https://www.elastic.co/docs/api/doc/kibana, "Versioning"): without it stateful Kibana resolves to the oldest. */
export const ELASTIC_API_VERSION = "2023-10-31";

export interface KibanaHttpOptions {
  baseUrl: string;
  space: string;
  auth: ElasticAuth;
  caCerts?: string[];
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onHttp?: (event: HttpEvent) => void;
  /** Injected in tests so backoff needs no real waiting. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface KibanaRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path under the Kibana base URL, starting with `/api/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Prefix `/s/<space>` (default true). Space-independent routes (status, spaces) set false. */
  spaceScoped?: boolean;
  /** Safe to repeat. Defaults to true for GET/PUT/DELETE; POSTs with a deterministic id set it. */
  idempotent?: boolean;
  /** Return undefined for 404 instead of throwing (reads of objects that may not exist yet). */
  allow404?: boolean;
  /** Kibana privilege to name in a 403 message. */
  privilege?: string;
  /** Send `Elastic-Api-Version` (default true). */
  versioned?: boolean;
}

export interface KibanaResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface KibanaHttp {
  readonly baseUrl: string;
  readonly space: string;
  /** The space prefix for this client, `""` for the default space. */
  readonly spacePrefix: string;
  request<T>(req: KibanaRequest & { allow404: true }): Promise<KibanaResponse<T> | undefined>;
  request<T>(req: KibanaRequest): Promise<KibanaResponse<T>>;
}

export function spacePrefix(space: string): string {
  return space === "default" ? "" : `/s/${encodeURIComponent(space)}`;
}

function parseBody(res: AxiosResponse<string>): unknown {
  const type = String(res.headers["content-type"] ?? "");
  const text = res.data ?? "";
  if (/json/i.test(type) && text) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function createKibanaHttp(options: KibanaHttpOptions): KibanaHttp {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const prefix = spacePrefix(options.space);
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const httpsAgent = options.caCerts?.length
    ? new HttpsAgent({ secureContext: trustContext(options.caCerts), keepAlive: true })
    : new HttpsAgent({ keepAlive: true });
  const instance: AxiosInstance = axios.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    maxRedirects: 0,
    httpsAgent,
    proxy: false,
    responseType: "text",
    transformResponse: [(d) => d],
    validateStatus: () => true,
    headers: {
      "kbn-xsrf": "sentinel-elastic",
      "User-Agent": userAgent(),
      Authorization: authorizationHeader(options.auth),
      Accept: "application/json",
    },
  });

  async function request<T>(req: KibanaRequest): Promise<KibanaResponse<T> | undefined> {
    const path = `${req.spaceScoped === false ? "" : prefix}${req.path}`;
    const ctx: KibanaErrorContext = {
      method: req.method,
      path,
      baseUrl,
      space: options.space,
      privilege: req.privilege,
    };
    const idempotent = req.idempotent ?? req.method !== "POST";
    const headers: Record<string, string> = {};
    if (req.versioned !== false) headers["Elastic-Api-Version"] = ELASTIC_API_VERSION;
    if (req.body !== undefined) headers["Content-Type"] = "application/json";
    for (let attempt = 1; ; attempt++) {
      const started = now();
      let res: AxiosResponse<string>;
      try {
        res = await instance.request<string>({
          method: req.method,
          url: path,
          params: req.query,
          data: req.body === undefined ? undefined : JSON.stringify(req.body),
          headers,
        });
      } catch (e) {
        const err = e as { code?: string; message?: string };
        const mapped = mapKibanaNetworkError(err, ctx, timeoutMs, attempt);
        options.onHttp?.({
          remote: "kibana",
          method: req.method,
          url: describeUrl(`${baseUrl}${path}`),
          durationMs: now() - started,
          error: redact(err.code ?? err.message ?? "error"),
        });
        if (idempotent && attempt < policy.maxAttempts && RETRYABLE_NETWORK.has(err.code ?? "")) {
          await sleep(backoffDelay(policy, attempt, options.random));
          continue;
        }
        // A read that stalled is asked again (bounded): reads change nothing, and one slow answer should not end a run.
        if (req.method === "GET" && isTimeout(err) && attempt < policy.maxTimeoutAttempts) {
          await sleep(backoffDelay(policy, attempt, options.random));
          continue;
        }
        throw mapped;
      }
      const body = parseBody(res);
      const status = res.status;
      options.onHttp?.({
        remote: "kibana",
        method: req.method,
        url: describeUrl(`${baseUrl}${path}`),
        status,
        durationMs: now() - started,
        ...(status >= 400
          ? { error: redact(typeof body === "string" ? body : JSON.stringify(body)).slice(0, 2000) }
          : {}),
      });
      const resHeaders = Object.fromEntries(
        Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : String(v)]),
      );
      if (status >= 200 && status < 300) return { status, body: body as T, headers: resHeaders };
      if (status === 404 && req.allow404 && resHeaders["kbn-name"] !== undefined) return undefined;
      if (status === 404 && req.allow404 && typeof body === "object") return undefined;
      if (idempotent && RETRYABLE_STATUS.has(status) && attempt < policy.maxAttempts) {
        const retryAfter = parseRetryAfter(resHeaders["retry-after"], now());
        if (retryAfter === undefined || retryAfter <= policy.maxRetryAfterMs) {
          await sleep(retryAfter ?? backoffDelay(policy, attempt, options.random));
          continue;
        }
      }
      throw mapKibanaStatus(
        {
          status,
          body,
          contentType: resHeaders["content-type"],
          location: resHeaders.location,
          isElasticsearch: resHeaders["x-elastic-product"] === "Elasticsearch",
          // Kibana's error bodies: `{statusCode, error, message}` (core) or `{status_code, message}` (detection engine).
          isKibana:
            resHeaders["kbn-name"] !== undefined ||
            (typeof body === "object" && body !== null && ("statusCode" in body || "status_code" in body)),
        },
        ctx,
      );
    }
  }

  return { baseUrl, space: options.space, spacePrefix: prefix, request: request as KibanaHttp["request"] };
}

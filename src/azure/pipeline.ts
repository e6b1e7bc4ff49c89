/**
 * One HTTP client for Azure's REST endpoints: bearer token for the endpoint's audience, our CAs, our retry
 * policy (429 with Retry-After, 5xx, resets) and one error mapping. Built on @azure/core-rest-pipeline 1.24,
 * whose `tlsOptions.ca` REPLACES Node's trusted roots — so extra CAs join `tls.rootCertificates` in one prepared context.
 */
import type { SecureContext } from "node:tls";
import type { TokenCredential } from "@azure/identity";
import type { HttpEvent } from "../engine/client-options.js";
import { AuthError, RemoteError } from "../errors.js";
import { redact } from "../redact.js";
import { azureError } from "./errors.js";
import { trustContext } from "../lib/trust.js";

/**
 * What the SDKs spread into their `https.Agent` options (`tlsOptions`/`tlsSettings`). Their declared type lists
 * only `ca`/`cert`/`key`/`pfx`; a `secureContext` passes through to `tls.connect` the same way and is built once
 * (src/lib/trust.ts), instead of Node parsing every root for each new connection.
 */
export interface TlsOptions {
  secureContext: SecureContext;
  /** Declared so the SDKs' all-optional TlsSettings accept this type; always unset (the context holds the CAs). */
  ca?: undefined;
}

/** Node's roots plus the extra PEM CAs, or undefined when there are none (keep the SDK defaults). */
export function tlsOptionsFor(extraCas: string[]): TlsOptions | undefined {
  return extraCas.length ? { secureContext: trustContext(extraCas) } : undefined;
}

export interface HttpClientOptions {
  credential?: TokenCredential;
  /** Token scope (from the cloud's audience), when `credential` is set. */
  scope?: string;
  tls?: TlsOptions;
  onHttp?: (event: HttpEvent) => void;
  remote?: HttpEvent["remote"];
  /** Retries of 429/5xx/resets (default 3). */
  maxRetries?: number;
  /** Waits between retries; replaceable so tests drive a sandbox clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout (default 120 s); short in tests. */
  timeoutMs?: number;
}

/**
 * A GET that got no answer within the timeout is asked again this many times. The pipeline ends a timed-out
 * request by aborting it (`AbortError`, @typespec/ts-http-runtime nodeHttpClient); we pass no abort signal of
 * our own, so an abort is always the timeout. Each attempt can take the whole timeout: keep it small.
 */
const TIMEOUT_RETRIES = 1;

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses returned to the caller instead of thrown (e.g. 404 when "absent" is an answer). */
  accept?: number[];
  what?: string;
  /** Do not retry (non-idempotent POSTs). */
  noRetry?: boolean;
}

export interface HttpResult<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface HttpClient {
  request<T = unknown>(method: string, url: string, options?: RequestOptions): Promise<HttpResult<T>>;
}

type CoreRestPipeline = typeof import("@azure/core-rest-pipeline");

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function createHttpClient(options: HttpClientOptions): Promise<HttpClient> {
  const core: CoreRestPipeline = await import("@azure/core-rest-pipeline");
  const pipeline = core.createPipelineFromOptions({
    // Our own retry loop below (with the injectable sleep) instead of the SDK's timer-based one.
    retryOptions: { maxRetries: 0 },
    ...(options.tls ? { tlsOptions: options.tls } : {}),
    userAgentOptions: { userAgentPrefix: "sentinel-elastic" },
    redirectOptions: { maxRetries: 0 },
  });
  if (options.credential && options.scope) {
    pipeline.addPolicy(core.bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }));
  }
  const httpClient = core.createDefaultHttpClient();
  const sleep = options.sleep ?? realSleep;
  const maxRetries = options.maxRetries ?? 3;
  const remote = options.remote ?? "azure";
  const timeoutMs = options.timeoutMs ?? 120_000;

  async function once(method: string, url: string, o: RequestOptions) {
    const request = core.createPipelineRequest({
      url,
      method: method.toUpperCase() as "GET",
      headers: core.createHttpHeaders({
        accept: "application/json",
        ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
        ...o.headers,
      }),
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      timeout: timeoutMs,
    });
    const started = Date.now();
    try {
      const res = await pipeline.sendRequest(httpClient, request);
      options.onHttp?.({ remote, method, url: redact(url), status: res.status, durationMs: Date.now() - started });
      return res;
    } catch (e) {
      const err = e as Error & { statusCode?: number; response?: { status: number } };
      options.onHttp?.({ remote, method, url: redact(url), durationMs: Date.now() - started, error: err.message });
      // Auth failures from the credential come out of the pipeline as errors: keep their type for the caller.
      throw e;
    }
  }

  return {
    async request<T>(method: string, url: string, o: RequestOptions = {}): Promise<HttpResult<T>> {
      const u = new URL(url);
      for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
      const full = u.toString();
      let timeouts = 0;
      for (let attempt = 0; ; attempt++) {
        let res: Awaited<ReturnType<typeof once>>;
        try {
          res = await once(method, full, o);
        } catch (e) {
          const name = (e as { name?: string }).name ?? "";
          if (/^(CredentialUnavailableError|AuthenticationError|AuthenticationRequiredError)$/.test(name)) {
            throw credentialError(e as Error, o.what);
          }
          if (name === "AbortError") {
            // A stalled read is asked again (bounded); a write is not repeated: it may have been applied.
            if (method.toUpperCase() === "GET" && !o.noRetry && timeouts++ < TIMEOUT_RETRIES) {
              await sleep(backoff(0));
              continue;
            }
            throw new RemoteError(
              `${o.what ? `${o.what}: ` : ""}${u.host} did not answer ${method.toUpperCase()} ${u.pathname} within ${Math.round(timeoutMs / 1000)} s${timeouts > 1 ? ` (${timeouts} attempts)` : ""}`,
              {
                code: "AZURE_TIMEOUT",
                remote,
                suggestion:
                  "Azure (or a proxy on the way) did not answer in time; re-run: it continues from where it stopped (every step is idempotent).",
                cause: e,
              },
            );
          }
          const code = (e as { code?: string }).code;
          const transient =
            code === "ECONNRESET" || code === "ECONNREFUSED" || code === "ETIMEDOUT" || code === "REQUEST_SEND_ERROR";
          if (transient && !o.noRetry && attempt < maxRetries) {
            await sleep(backoff(attempt));
            continue;
          }
          if ((e as { name?: string }).name === "RestError" || transient) {
            throw new RemoteError(
              `${o.what ? `${o.what}: ` : ""}could not reach ${u.host} (${redact((e as Error).message)})`,
              {
                code: "AZURE_UNREACHABLE",
                remote,
                suggestion: "Check the network, proxy and azure.endpoints / azure.caCertFile settings.",
                cause: e,
              },
            );
          }
          throw e;
        }
        const headers = res.headers.toJSON();
        const body = parseBody(res.bodyAsText);
        if (res.status < 400 || o.accept?.includes(res.status)) return { status: res.status, headers, body: body as T };
        const retryAfter = retryAfterSeconds(headers["retry-after"]);
        const retryable = res.status === 429 || res.status >= 500;
        if (retryable && !o.noRetry && attempt < maxRetries) {
          await sleep(retryAfter !== undefined ? Math.min(retryAfter, 60) * 1000 : backoff(attempt));
          continue;
        }
        throw azureError(res.status, body, { method, url: full, what: o.what }, retryAfter);
      }
    },
  };
}

function backoff(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 30_000);
}

function retryAfterSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return n;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function parseBody(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A credential that cannot produce a token (not signed in, expired, wrong tenant) — exit 4 with what to do. */
export function credentialError(e: Error, what?: string): AuthError {
  return new AuthError(
    `${what ? `${what}: ` : ""}could not get an Azure token (${e.name}): ${redact(e.message.split("\n")[0] ?? "")}`,
    {
      code: "AZURE_CREDENTIAL",
      suggestion:
        "Sign in (az login, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET) or choose another credential with --azure-credential.",
      cause: e,
    },
  );
}

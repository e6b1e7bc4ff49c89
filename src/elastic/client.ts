/**
 * A narrow Elasticsearch client over the official `@elastic/elasticsearch` SDK (imported lazily, so runs that
 * never touch Elasticsearch never load it). Same credentials and CA as Kibana.
 */
import type { ResolvedConfig } from "../config/schema.js";
import type { ClientOverrides } from "../engine/client-options.js";
import { resolveConnection } from "./connection.js";
import { userAgent } from "./user-agent.js";
import { trustContext } from "../lib/trust.js";
import { describeUrl } from "../redact.js";
import { assertElasticsearchHeaders, mapElasticsearchError } from "./errors.js";

export interface HasPrivilegesRequest {
  cluster?: string[];
  index?: { names: string[]; privileges: string[] }[];
  application?: { application: string; privileges: string[]; resources: string[] }[];
}

export interface HasPrivilegesResponse {
  username: string;
  has_all_requested: boolean;
  cluster: Record<string, boolean>;
  index: Record<string, Record<string, boolean>>;
  application: Record<string, Record<string, Record<string, boolean>>>;
}

export interface SearchHit<T> {
  _id: string;
  _index: string;
  _source?: T;
}

export interface ElasticsearchApi {
  readonly baseUrl: string;
  info(): Promise<{ version: string; clusterName: string }>;
  authenticate(): Promise<{ username: string; authenticationType?: string }>;
  hasPrivileges(body: HasPrivilegesRequest): Promise<HasPrivilegesResponse>;
  /**
   * `op_type: create`, as data streams require; refreshed so a search finds it at once. With an `id`, a
   * retried request cannot add a second copy: the repeat's 409 means it is already there.
   */
  createDocument(index: string, document: Record<string, unknown>, id?: string): Promise<{ id: string; index: string }>;
  search<T>(
    index: string,
    query: Record<string, unknown>,
    options?: { size?: number; sort?: unknown },
  ): Promise<SearchHit<T>[]>;
  close(): Promise<void>;
}

export interface ElasticsearchClientOptions {
  /** Per-request timeout (default 30 s); short in tests. */
  requestTimeoutMs?: number;
  /** Waits between our retries; injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export async function createElasticsearchClient(
  config: ResolvedConfig,
  overrides: ClientOverrides = {},
  options: ElasticsearchClientOptions = {},
): Promise<ElasticsearchApi> {
  const conn = await resolveConnection(config, overrides.elasticCaCerts);
  const { Client } = await import("@elastic/elasticsearch");
  const baseUrl = conn.elasticsearchUrl;
  const client = new Client({
    node: baseUrl,
    auth:
      conn.auth.kind === "apiKey"
        ? { apiKey: conn.auth.apiKey }
        : { username: conn.auth.username, password: conn.auth.password },
    // Node's roots plus the CA file (src/lib/trust.ts): a CA file adds trust rather than narrowing it (as for Kibana).
    tls: conn.caCerts ? { secureContext: trustContext(conn.caCerts) } : undefined,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Every retry is ours (retryIdempotent), so it waits by the caller's sleep: the transport's own backoff is a
    // timer of 1 to 4 real seconds that a sandbox clock cannot shorten, and it would also repeat a write.
    maxRetries: 0,
    headers: {
      "user-agent": userAgent(),
      // The v9 client asks for `compatible-with=9`, which an 8.x cluster refuses ("Accept version must be
      // either version 8 or 7", elastic/elasticsearch-js#2909). Plain JSON works on 8.x and 9.x alike, and the
      // few responses we read (info, authenticate, has_privileges, index, search) have the same shape on both.
      accept: "application/json",
      "content-type": "application/json",
    },
  });
  if (overrides.onHttp) {
    const onHttp = overrides.onHttp;
    const started = new Map<unknown, number>();
    client.diagnostic.on("request", (_err, result) => {
      started.set(result?.meta?.request?.id, Date.now());
    });
    client.diagnostic.on("response", (err, result) => {
      const req = result?.meta?.request?.params;
      const id = result?.meta?.request?.id;
      const t0 = started.get(id);
      started.delete(id);
      onHttp({
        remote: "elasticsearch",
        method: req?.method ?? "?",
        url: describeUrl(`${baseUrl}${req?.path ?? ""}`),
        status: result?.statusCode ?? undefined,
        durationMs: t0 === undefined ? 0 : Date.now() - t0,
        ...(err ? { error: err.name } : {}),
      });
    });
  }
  // An explicit option (tests) over the step context's sleep, as for Kibana (createKibanaClient).
  const sleep = options.sleep ?? overrides.sleep;
  const call = async <T>(what: string, fn: () => Promise<T>, privilege?: string): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw mapElasticsearchError(e, baseUrl, what, privilege);
    }
  };
  /** For calls that are safe to repeat: retried on 429, 5xx and resets (see retryIdempotent). */
  const read = <T>(what: string, fn: () => Promise<T>, privilege?: string): Promise<T> =>
    call(what, () => retryIdempotent(fn, { resets: true, sleep }), privilege);
  return {
    baseUrl,
    info: () =>
      read("read the cluster info", async () => {
        const r = await client.info();
        return { version: r.version.number, clusterName: r.cluster_name };
      }),
    authenticate: () =>
      call("authenticate", () =>
        // The reachability check: a refused connection or an unknown host fails at once (the transport would
        // back off through its retries), but a reset, a stall, a 429 or a 5xx is retried as for any read.
        retryIdempotent(
          async () => {
            // With the response headers, so a server that is not Elasticsearch but answers 200 is caught here.
            const { body: r, headers } = await client.security.authenticate(undefined, { meta: true });
            assertElasticsearchHeaders(baseUrl, headers);
            return { username: r.username, authenticationType: r.authentication_type };
          },
          {
            statuses: RETRIED_STATUSES,
            resets: true,
            retries: AUTHENTICATE_RETRIES,
            sleep,
          },
        ),
      ),
    hasPrivileges: (body) =>
      read(
        "check privileges",
        async () => (await client.security.hasPrivileges(body as never)) as unknown as HasPrivilegesResponse,
      ),
    createDocument: (index, document, id) =>
      // With an id a repeat is harmless (409 = already there); without one, a repeat could add a second copy.
      (id ? read : call)(
        `index a document into ${index}`,
        async () => {
          try {
            const r = await client.index({ index, id, document, op_type: "create", refresh: "wait_for" });
            return { id: r._id, index: r._index };
          } catch (e) {
            const status = (e as { meta?: { statusCode?: number } }).meta?.statusCode;
            if (id && status === 409) return { id, index };
            throw e;
          }
        },
        `the create_doc index privilege on ${index}`,
      ),
    search: (index, query, options = {}) =>
      read(`search ${index}`, async () => {
        const r = await client.search({
          index,
          query: query as never,
          size: options.size ?? 10,
          sort: options.sort as never,
          ignore_unavailable: true,
          allow_no_indices: true,
        });
        return r.hits.hits as SearchHit<never>[];
      }),
    close: () => client.close(),
  };
}

/**
 * Every status that says "try again". (The official client's transport retries only 502/503/504 and connection
 * errors, @elastic/transport 9 Transport.request; its retries are off here, see createElasticsearchClient.)
 */
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);
const MAX_RETRIES = 3;
/**
 * Timeouts of a read: asked again once. The transport does not (@elastic/transport `retryOnTimeout` defaults to
 * false, and turning it on would also repeat writes); each attempt can take the whole request timeout.
 */
const TIMEOUT_RETRIES = 1;
const AUTHENTICATE_RETRIES = 2;
const MAX_WAIT_MS = 10_000;
/** A connection that was open and then dropped (Node http: "socket hang up"/ECONNRESET; undici: "other side closed"). */
const RESET = /socket hang up|ECONNRESET|EPIPE|other side closed/i;

export interface RetryOptions {
  statuses?: ReadonlySet<number>;
  /** Also retry a ConnectionError that is a reset (not a refused connection or an unknown host). */
  resets?: boolean;
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries of a call that is safe to repeat, on 429 (honouring Retry-After, capped) and 500, with exponential
 * backoff and a bound. The official client retries only connection errors and 502/503/504
 * (@elastic/transport 9, Transport.request); Elasticsearch answers 429 when a thread pool queue is full and
 * asks the client to back off (es_rejected_execution_exception).
 */
export async function retryIdempotent<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const statuses = options.statuses ?? RETRIED_STATUSES;
  const retries = options.retries ?? MAX_RETRIES;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let timeouts = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = e as {
        name?: string;
        message?: string;
        meta?: { statusCode?: number; headers?: Record<string, unknown> };
      };
      const status = err.meta?.statusCode;
      const retryableStatus = err.name === "ResponseError" && status !== undefined && statuses.has(status);
      const reset = options.resets === true && err.name === "ConnectionError" && RESET.test(err.message ?? "");
      if (err.name === "TimeoutError") {
        if (++timeouts > TIMEOUT_RETRIES) throw Object.assign(e as object, { attempts: timeouts });
        await sleep(250);
        continue;
      }
      if ((!retryableStatus && !reset) || attempt >= retries) throw e;
      const retryAfter = Number(err.meta?.headers?.["retry-after"]);
      const wait =
        retryableStatus && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : 250 * 2 ** attempt;
      await sleep(Math.min(wait, MAX_WAIT_MS));
    }
  }
}

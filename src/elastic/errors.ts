/** Elasticsearch client errors mapped to our typed errors, in one place. Matched by `name`, so the SDK stays lazily imported. */
import { findInput, whereToSet } from "../config/registry.js";
import { AuthError, InputError, RemoteError, SentinelElasticError } from "../errors.js";
import { isProtocolMismatch } from "../kibana/http-errors.js";
import { redact } from "../redact.js";

interface EsClientError {
  name?: string;
  message?: string;
  meta?: { statusCode?: number; body?: unknown; headers?: Record<string, unknown> | null };
  code?: string;
}

function reason(body: unknown): string {
  const b = body as { error?: { reason?: string; type?: string } | string } | undefined;
  if (b && typeof b.error === "object") return b.error.reason ?? b.error.type ?? "";
  if (b && typeof b.error === "string") return b.error;
  return "";
}

const ES_URL_WHERE = whereToSet(findInput("elastic.elasticsearchUrl")!);

export function notElasticsearchError(baseUrl: string, why: string, cause?: unknown, status?: number): InputError {
  return new InputError(`The server at ${baseUrl} answers, but it is not Elasticsearch: ${why}.`, {
    code: "ELASTICSEARCH_NOT_ELASTICSEARCH",
    cause,
    suggestion: `Set the Elasticsearch URL (not the Kibana URL) with ${ES_URL_WHERE}, or give the Cloud ID instead.`,
    problems: [{ key: "elastic.elasticsearchUrl", message: "is not Elasticsearch", where: ES_URL_WHERE }],
    details: status ? { status } : undefined,
  });
}

/**
 * A 2xx must carry the product header too: @elastic/transport 9 keeps the `productCheck` option but no longer
 * enforces it (node_modules/@elastic/transport/lib/Transport.js only stores it), so we check it ourselves.
 */
export function assertElasticsearchHeaders(baseUrl: string, headers: Record<string, unknown> | null | undefined): void {
  const found = Object.keys(headers ?? {}).some((k) => k.toLowerCase() === "x-elastic-product");
  if (!found) throw notElasticsearchError(baseUrl, "its response lacks the x-elastic-product header");
}

/**
 * Elasticsearch marks every response, errors included, with `x-elastic-product: Elasticsearch`. A 4xx without
 * it arrives from the client as a plain ResponseError, yet it is another server at this URL: typically Kibana
 * (404 `{statusCode, error, message}` with a `kbn-name` header) or a web server. The v8 client's
 * ProductNotSupportedError says the same. 401/403/408/429 and 5xx may come from a proxy in front of a real
 * cluster, so they keep their own meaning.
 */
function notElasticsearch(err: EsClientError, status: number | undefined): string | undefined {
  if (err.name === "ProductNotSupportedError") return "its responses lack the x-elastic-product header";
  if (err.name !== "ResponseError" || status === undefined || !err.meta?.headers) return undefined;
  if (status >= 500 || [401, 403, 408, 429].includes(status)) return undefined;
  const headers = Object.fromEntries(Object.entries(err.meta.headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (headers["x-elastic-product"] !== undefined) return undefined;
  const kibana = headers["kbn-name"] !== undefined || looksLikeKibanaError(err.meta.body);
  return `it answered ${status} without the x-elastic-product header${kibana ? " and looks like Kibana" : ""}`;
}

function looksLikeKibanaError(body: unknown): boolean {
  return typeof body === "object" && body !== null && "statusCode" in body && "error" in body;
}

export function mapElasticsearchError(
  e: unknown,
  baseUrl: string,
  what: string,
  privilege?: string,
): SentinelElasticError {
  // Already ours (e.g. thrown by a header check inside the call).
  if (e instanceof SentinelElasticError) return e;
  const err = (e ?? {}) as EsClientError;
  const status = err.meta?.statusCode;
  const why = redact(reason(err.meta?.body) || err.message || String(e));
  if (err.name === "ResponseError" && status === 401) {
    return new AuthError(`Elasticsearch rejected the credentials (401) while trying to ${what}.`, {
      code: "ELASTICSEARCH_UNAUTHORIZED",
      cause: e,
      suggestion:
        "The same API key or username/password is used for Kibana and Elasticsearch; check that it is valid for this deployment.",
    });
  }
  if (err.name === "ResponseError" && status === 403) {
    return new AuthError(`Elasticsearch refused to ${what} (403): ${why}.`, {
      code: "ELASTICSEARCH_FORBIDDEN",
      cause: e,
      suggestion: privilege
        ? `Grant ${privilege} to the user or API key.`
        : "Grant the missing privilege to the user or API key.",
    });
  }
  const notEs = notElasticsearch(err, status);
  if (notEs) return notElasticsearchError(baseUrl, notEs, e, status);
  if (err.name === "TimeoutError") {
    const attempts = (e as { attempts?: number }).attempts;
    return new RemoteError(
      `Elasticsearch at ${baseUrl} did not answer in time while trying to ${what}${attempts && attempts > 1 ? ` (${attempts} attempts)` : ""}.`,
      {
        code: "ELASTICSEARCH_TIMEOUT",
        remote: "elasticsearch",
        cause: e,
        suggestion:
          "Check that Elasticsearch is up and reachable from here, then re-run: it continues from where it stopped (every step is idempotent).",
      },
    );
  }
  if (err.name === "ConnectionError" || err.name === "NoLivingConnectionsError") {
    if (isProtocolMismatch({ code: err.code, message: err.message })) {
      return new InputError(
        `Elasticsearch at ${baseUrl} does not speak ${baseUrl.split(":")[0]} on that port: ${why}.`,
        {
          code: "ELASTICSEARCH_PROTOCOL",
          cause: e,
          suggestion: `Check http:// versus https:// in the Elasticsearch URL (${ES_URL_WHERE}).`,
          problems: [{ key: "elastic.elasticsearchUrl", message: "protocol mismatch", where: ES_URL_WHERE }],
        },
      );
    }
    const tls = /certificate|self[- ]signed|ssl|tls/i.test(err.message ?? "");
    if (tls) {
      return new InputError(`The TLS connection to Elasticsearch at ${baseUrl} failed: ${why}.`, {
        code: "ELASTICSEARCH_TLS",
        cause: e,
        suggestion: "Give the CA's PEM file with --elastic-ca-cert / ELASTIC_CA_CERT.",
      });
    }
    return new RemoteError(`Elasticsearch is not reachable at ${baseUrl}: ${why}.`, {
      code: "ELASTICSEARCH_UNREACHABLE",
      remote: "elasticsearch",
      cause: e,
      suggestion: "Check the Elasticsearch URL (or Cloud ID) and that the cluster is running.",
    });
  }
  return new RemoteError(`Elasticsearch failed to ${what}${status ? ` (${status})` : ""}: ${why}.`, {
    code: "ELASTICSEARCH_REQUEST_FAILED",
    remote: "elasticsearch",
    status,
    cause: e,
    suggestion: "Re-run with --debug to see the request.",
  });
}

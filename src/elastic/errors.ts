/** Elasticsearch client errors mapped to our typed errors, in one place. Matched by `name`, so the SDK stays lazily imported. */
import { AuthError, InputError, RemoteError, type SentinelElasticError } from "../errors.js";
import { redact } from "../redact.js";

interface EsClientError {
  name?: string;
  message?: string;
  meta?: { statusCode?: number; body?: unknown };
  code?: string;
}

function reason(body: unknown): string {
  const b = body as { error?: { reason?: string; type?: string } | string } | undefined;
  if (b && typeof b.error === "object") return b.error.reason ?? b.error.type ?? "";
  if (b && typeof b.error === "string") return b.error;
  return "";
}

export function mapElasticsearchError(
  e: unknown,
  baseUrl: string,
  what: string,
  privilege?: string,
): SentinelElasticError {
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
  if (err.name === "ProductNotSupportedError") {
    return new InputError(`The server at ${baseUrl} does not look like Elasticsearch.`, {
      code: "ELASTICSEARCH_NOT_ELASTICSEARCH",
      cause: e,
      suggestion: "Set the Elasticsearch URL (not the Kibana URL), or use the Cloud ID.",
      problems: [
        {
          key: "elastic.elasticsearchUrl",
          message: "not Elasticsearch",
          where: "--elasticsearch-url or ELASTICSEARCH_URL",
        },
      ],
    });
  }
  if (err.name === "TimeoutError") {
    return new RemoteError(`Elasticsearch at ${baseUrl} did not answer in time while trying to ${what}.`, {
      code: "ELASTICSEARCH_TIMEOUT",
      remote: "elasticsearch",
      cause: e,
      suggestion: "Check that Elasticsearch is up and reachable from here.",
    });
  }
  if (err.name === "ConnectionError" || err.name === "NoLivingConnectionsError") {
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

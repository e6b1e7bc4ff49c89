/**
 * Every way a Kibana call can fail, mapped to one typed error in one place (house style: shadcn's
 * fetcher). Messages are short; HTML bodies are summarised to status + first line (kibana#183562 shows
 * what happens otherwise) and the full body is kept for --debug only.
 */
import { AuthError, InputError, PreconditionError, RemoteError, type SentinelElasticError } from "../errors.js";
import { redact } from "../redact.js";

export interface KibanaErrorContext {
  method: string;
  /** Path with the space prefix, no host (never carries secrets). */
  path: string;
  baseUrl: string;
  space: string;
  /** The Kibana privilege this call needs, named in 403 messages. */
  privilege?: string;
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/** Kibana's error body is `{statusCode, error, message}`; anything else is summarised. */
export function summariseBody(body: unknown, contentType: string | undefined): string {
  if (body && typeof body === "object") {
    const b = body as { message?: unknown; error?: unknown };
    if (typeof b.message === "string") return b.message;
    if (typeof b.error === "string") return b.error;
    return JSON.stringify(body).slice(0, 300);
  }
  if (typeof body !== "string" || !body.trim()) return "";
  if (/html/i.test(contentType ?? "") || /^\s*</.test(body)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
    const text = (title ?? body.replace(/<[^>]+>/g, " "))
      .split(/\r?\n/)
      .map((l) => l.replace(/\s+/g, " ").trim())
      .find(Boolean);
    return (text ?? "").slice(0, 200);
  }
  return body.split(/\r?\n/)[0]!.slice(0, 300);
}

export interface HttpFailure {
  status: number;
  body: unknown;
  contentType?: string;
  location?: string;
  /** Kibana sets `kbn-name` on every response; its absence means something else answered. */
  isKibana: boolean;
  /** Elasticsearch marks every response with `x-elastic-product: Elasticsearch`. */
  isElasticsearch?: boolean;
}

export function mapKibanaStatus(f: HttpFailure, c: KibanaErrorContext): SentinelElasticError {
  const summary = redact(summariseBody(f.body, f.contentType));
  const where = `${c.method} ${c.path}`;
  // The full body is for --debug only; bounded so an HTML error page cannot flood the output.
  const debugBody = typeof f.body === "string" ? redact(f.body).slice(0, 5000) : f.body;
  const details = { status: f.status, request: where, debugBody };
  if (f.isElasticsearch && !f.isKibana) {
    return notKibana(c.baseUrl, "it is Elasticsearch (x-elastic-product: Elasticsearch), not Kibana", details);
  }
  if (f.status >= 300 && f.status < 400) {
    return new RemoteError(
      `Kibana answered ${f.status} (redirect${f.location ? ` to ${redact(f.location)}` : ""}) to ${where}; redirects are not followed.`,
      {
        code: "KIBANA_REDIRECT",
        remote: "kibana",
        status: f.status,
        suggestion: "Set the Kibana URL to the final address (scheme, host and base path) so no redirect is needed.",
        details,
      },
    );
  }
  if (f.status === 401) {
    return new AuthError(`Kibana rejected the credentials (401)${summary ? `: ${summary}` : ""}.`, {
      code: "KIBANA_UNAUTHORIZED",
      suggestion:
        "Check ELASTIC_API_KEY (the encoded value of an active key) or ELASTIC_USERNAME/ELASTIC_PASSWORD for this deployment.",
      details,
    });
  }
  if (f.status === 403) {
    const privilege = c.privilege ? ` It needs the Kibana privilege ${c.privilege} in space '${c.space}'.` : "";
    return new AuthError(`Kibana refused ${where} (403): ${summary || "forbidden"}.${privilege}`, {
      code: "KIBANA_FORBIDDEN",
      suggestion: c.privilege
        ? `Grant ${c.privilege} in space '${c.space}' to the user or API key (Stack Management → Roles).`
        : "Grant the user or API key the Kibana privileges for connectors, cases and detection rules.",
      details,
    });
  }
  if (f.status === 404 && c.space !== "default" && /space/i.test(summary) && summary.includes(c.space)) {
    return new PreconditionError(`The Kibana space '${c.space}' does not exist.`, {
      code: "KIBANA_SPACE_NOT_FOUND",
      suggestion: `Create the space in Kibana (Stack Management → Spaces) or set elastic.space / KIBANA_SPACE to an existing one.`,
      details,
    });
  }
  if (!f.isKibana && (f.status === 404 || typeof f.body === "string")) {
    return notKibana(c.baseUrl, `${where} answered ${f.status}${summary ? ` (${summary})` : ""}`, details);
  }
  if (f.status === 429) {
    // Reached only after the client's retries (which honour Retry-After) were used up: throttling, not a bug.
    return new RemoteError(`Kibana kept answering 429 (too many requests) to ${where}, after retries.`, {
      code: "KIBANA_THROTTLED",
      remote: "kibana",
      status: f.status,
      suggestion: "Kibana is throttling requests; wait a minute and re-run (every step is idempotent).",
      details,
    });
  }
  if (f.status === 409) {
    // A saved object's version moved between our read and our write, or a create found the id taken: someone
    // else wrote it meanwhile (Kibana saved objects answer 409 "Saved object [type/id] conflict" to both).
    // Not a version problem: the state changed, and a re-run reads it again and converges.
    const concurrent = /conflict|already exists|version/i.test(summary);
    return new RemoteError(
      `Kibana answered 409 (conflict) to ${where}${summary ? `: ${summary}` : ""}.${concurrent ? " Another run (a second setup or teardown, or someone in Kibana) changed the object at the same time." : ""}`,
      {
        code: "KIBANA_CONFLICT",
        remote: "kibana",
        status: f.status,
        suggestion: concurrent
          ? "Another setup or teardown may be running against this Kibana space: let it finish, then re-run (setup reads the current state and continues from it)."
          : "Kibana refused the change in the object's current state; re-run to read it again (every step is idempotent).",
        details,
      },
    );
  }
  return new RemoteError(`Kibana answered ${f.status} to ${where}${summary ? `: ${summary}` : ""}.`, {
    code: f.status >= 500 ? "KIBANA_SERVER_ERROR" : "KIBANA_REQUEST_FAILED",
    remote: "kibana",
    status: f.status,
    suggestion:
      f.status >= 500
        ? "Kibana or Elasticsearch is unhealthy; check Kibana's status page and logs, then re-run (every step is idempotent)."
        : "Re-run with --debug to see the request; this may be a Kibana version we do not know.",
    details,
  });
}

export function notKibana(baseUrl: string, what: string, details?: Record<string, unknown>): InputError {
  return new InputError(`The server at ${baseUrl} does not look like Kibana: ${what}.`, {
    code: "KIBANA_NOT_KIBANA",
    suggestion:
      "Set the Kibana URL (not the Elasticsearch URL) including any base path, e.g. https://my-deployment.kb.us-east-1.aws.elastic.cloud.",
    problems: [{ key: "elastic.kibanaUrl", message: "not a Kibana server", where: "--kibana-url or KIBANA_URL" }],
    details,
  });
}

/**
 * https:// to a plain-HTTP port, or a TLS server answering plain HTTP: OpenSSL reports EPROTO with "wrong
 * version number" (OpenSSL 1.1/3) or "packet length too long"; a server may answer "http request to an https
 * server" (nginx: "The plain HTTP request was sent to HTTPS port"). Certificate failures never look like this.
 */
export function isProtocolMismatch(err: { code?: string; message?: string }): boolean {
  const message = err.message ?? "";
  if (/wrong version number|packet length too long|http request to an https server|plain HTTP request/i.test(message)) {
    return true;
  }
  // Other EPROTO texts are TLS negotiation failures (a handshake alert, no shared protocol version or cipher),
  // not a wrong scheme: they stay on the TLS advice.
  return (
    err.code === "EPROTO" && !/alert|handshake|certificate|unsupported protocol|no protocols|cipher/i.test(message)
  );
}

/** Node/axios network errors (no HTTP response). */
export function mapKibanaNetworkError(
  err: { code?: string; message?: string },
  c: KibanaErrorContext,
  timeoutMs: number,
  attempts = 1,
) {
  const code = err.code ?? "";
  const where = `${c.method} ${c.path}`;
  // Checked before the TLS branch: OpenSSL's text for https:// to a plain-HTTP port ("SSL routines:…:wrong
  // version number", code EPROTO) contains "ssl", and a CA file would not help: the scheme is wrong.
  if (isProtocolMismatch(err)) {
    return new InputError(`Kibana at ${c.baseUrl} does not speak ${c.baseUrl.split(":")[0]} on that port.`, {
      code: "KIBANA_PROTOCOL",
      cause: err,
      suggestion: "Check http:// versus https:// in the Kibana URL.",
      problems: [
        { key: "elastic.kibanaUrl", message: code || "protocol mismatch", where: "--kibana-url or KIBANA_URL" },
      ],
    });
  }
  if (TLS_CODES.has(code) || /certificate|self[- ]signed|ssl|tls/i.test(err.message ?? "")) {
    return new InputError(`The TLS connection to Kibana at ${c.baseUrl} failed: ${code || err.message}.`, {
      code: "KIBANA_TLS",
      cause: err,
      suggestion:
        "If Kibana uses a private CA, give its PEM file with --elastic-ca-cert / ELASTIC_CA_CERT; otherwise check the URL's host name.",
      problems: [
        { key: "elastic.caCertFile", message: code || "TLS error", where: "--elastic-ca-cert or ELASTIC_CA_CERT" },
      ],
    });
  }
  if (code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(err.message ?? "")) {
    const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
    return new RemoteError(
      `Kibana at ${c.baseUrl} did not answer ${where} within ${Math.round(timeoutMs / 1000)} s${tries}.`,
      {
        code: "KIBANA_TIMEOUT",
        remote: "kibana",
        cause: err,
        suggestion:
          "Check that Kibana is up and that no firewall or proxy drops the connection, then re-run: it continues from where it stopped (every step is idempotent).",
      },
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new InputError(`The Kibana host in ${c.baseUrl} cannot be resolved (${code}).`, {
      code: "KIBANA_DNS",
      cause: err,
      suggestion: "Check the Kibana URL or Cloud ID for typos.",
      problems: [{ key: "elastic.kibanaUrl", message: "host not found", where: "--kibana-url or KIBANA_URL" }],
    });
  }
  if (code === "ECONNREFUSED") {
    return new RemoteError(`Kibana is not reachable at ${c.baseUrl}: connection refused.`, {
      code: "KIBANA_UNREACHABLE",
      remote: "kibana",
      cause: err,
      suggestion: "Check the Kibana URL and port, and that Kibana is running.",
    });
  }
  if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up/i.test(err.message ?? "")) {
    return new RemoteError(`Kibana at ${c.baseUrl} closed the connection during ${where} (${code || "reset"}).`, {
      code: "KIBANA_CONNECTION_RESET",
      remote: "kibana",
      cause: err,
      suggestion: c.baseUrl.startsWith("http:")
        ? "If Kibana serves HTTPS on that port, use https:// in the Kibana URL; otherwise re-run (every step is idempotent)."
        : "A proxy or load balancer may be dropping connections; re-run (every step is idempotent).",
    });
  }
  return new RemoteError(`The call ${where} to Kibana at ${c.baseUrl} failed: ${code || err.message}.`, {
    code: "KIBANA_NETWORK",
    remote: "kibana",
    cause: err,
    suggestion: "Check the network path to Kibana and re-run.",
  });
}

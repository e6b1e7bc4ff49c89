/**
 * `.webhook` execution (SC9/server/connector_types/webhook/index.ts + errors.ts): send the (already
 * rendered) body with the configured method; GET/DELETE send no body (methodExpectsBody); 5xx → retry
 * result, 429 → retry (at Retry-After when given); other non-2xx → "invalid response"; network errors →
 * "request failed". On success `data` is the request body that was sent, not the remote response.
 */
import type { SandboxContext } from "../../context.js";
import { sendRequest, type SslOverrides } from "./http-client.js";
import { OAUTH2, OAuthTokenError, oauth2Authorization } from "./oauth2.js";
import type { StoredConnector } from "./model.js";

export interface ExecutorResult {
  status: "ok" | "error";
  actionId: string;
  data?: unknown;
  message?: string;
  serviceMessage?: string;
  retry?: boolean | string;
  errorSource?: string;
}

export async function executeWebhook(
  ctx: SandboxContext,
  connector: StoredConnector,
  params: { body?: string },
): Promise<ExecutorResult> {
  const actionId = connector.id;
  const c = connector.config as Record<string, any>;
  const s = connector.secrets as Record<string, any>;
  const method = String(c.method ?? "post");
  const data = params.body;
  const hasAuth = c.hasAuth !== false;
  const basic = hasAuth && (c.authType === "webhook-authentication-basic" || !c.authType);
  const ssl: SslOverrides = {};
  if (hasAuth && c.authType === "webhook-authentication-ssl") {
    if (typeof s.pfx === "string") ssl.pfx = Buffer.from(s.pfx, "base64");
    else if (typeof s.crt === "string" && typeof s.key === "string")
      Object.assign(ssl, { cert: Buffer.from(s.crt, "base64"), key: Buffer.from(s.key, "base64") });
    if (typeof s.password === "string" && (ssl.pfx || ssl.cert)) ssl.passphrase = s.password;
  }
  if (c.verificationMode) ssl.verificationMode = c.verificationMode;
  if (c.ca) ssl.ca = Buffer.from(c.ca, "base64");
  const auth =
    basic && typeof s.user === "string" && typeof s.password === "string"
      ? { username: s.user, password: s.password }
      : undefined;
  // No default content-type (get_axios_config.ts): axios then sends a string body as
  // application/x-www-form-urlencoded, and JSON-stringifies a non-JSON string when the configured
  // content-type is JSON. Both are what a receiver of real Kibana sees.
  const headers: Record<string, string> = { ...(c.headers ?? {}), ...(s.secretHeaders ?? {}) };
  const expectsBody = !["get", "delete"].includes(method);
  try {
    // OAuth2 client credentials (9.2+): the token first, then the call with it (oauth2.ts).
    if (hasAuth && c.authType === OAUTH2) headers.Authorization = await oauth2Authorization(ctx, connector, ssl);
    await sendRequest(ctx, {
      connectorId: actionId,
      method,
      url: String(c.url),
      headers,
      data: expectsBody ? data : undefined,
      auth,
      ssl,
    });
    return { status: "ok", data, actionId };
  } catch (err) {
    const e = err as {
      response?: { status: number; statusText: string; headers: Record<string, string>; data?: any };
      code?: string;
      message: string;
    };
    if (e.response) {
      const { status, statusText } = e.response;
      const raw = e.response.data?.message;
      const msg = typeof raw === "string" ? raw : raw != null ? JSON.stringify(raw) : undefined;
      const message = `[${status}] ${statusText}${msg ? `: ${msg}` : ""}`;
      if (status >= 500)
        return {
          status: "error",
          actionId,
          message: "error calling webhook, retry later",
          retry: true,
          serviceMessage: message,
        };
      if (status === 429) {
        const after = Number(e.response.headers["retry-after"]);
        if (Number.isFinite(after) && after > 0) {
          const retry = new Date(ctx.clock.now() + after * 1000).toISOString();
          return {
            status: "error",
            actionId,
            message: `error calling webhook, retry at ${retry}`,
            retry,
            serviceMessage: message,
          };
        }
        return {
          status: "error",
          actionId,
          message: "error calling webhook, retry later",
          retry: true,
          serviceMessage: message,
        };
      }
      return { status: "error", actionId, message: "error calling webhook, invalid response", serviceMessage: message };
    }
    if (err instanceof OAuthTokenError)
      return {
        status: "error",
        actionId,
        message: "error calling webhook, unable to get an access token",
        serviceMessage: err.message,
      };
    const message = e.code ? `[${e.code}] ${e.message}` : e.message;
    return { status: "error", actionId, message: "error calling webhook, request failed", serviceMessage: message };
  }
}

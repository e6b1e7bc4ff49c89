/**
 * `.webhook` with `authType: "webhook-oauth2-client-credentials"` (Kibana 9.2+, elastic/kibana PR #218442,
 * docs-content#2829): before calling the target, the connector gets an access token with the OAuth 2.0
 * client-credentials grant at `config.accessTokenUrl` (form body `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `scope`, plus the fields of `config.additionalFields`), keeps it until it expires (Kibana stores
 * it as a connector token and asks again once `expiresAt` has passed), and sends `Authorization: <token_type>
 * <access_token>`. Updating or deleting the connector drops its stored token, as Kibana's actions client does.
 * The token call goes through the same outgoing path as the webhook itself (allowedHosts, loopback only).
 */
import type { SandboxContext } from "../../context.js";
import { sendRequest, type SslOverrides } from "./http-client.js";
import type { StoredConnector } from "./model.js";

export const OAUTH2 = "webhook-oauth2-client-credentials";

interface CachedToken {
  /** What the token was fetched with: a different config or secret means a new token. */
  key: string;
  authorization: string;
  expiresAt: number;
}

const tokens = new WeakMap<SandboxContext, Map<string, CachedToken>>();

function cacheOf(ctx: SandboxContext): Map<string, CachedToken> {
  let m = tokens.get(ctx);
  if (!m) {
    m = new Map();
    tokens.set(ctx, m);
  }
  return m;
}

/** Drop the stored token of a connector (it was updated or deleted). */
export function forgetConnectorToken(ctx: SandboxContext, connectorId: string): void {
  tokens.get(ctx)?.delete(connectorId);
}

export class OAuthTokenError extends Error {}

/** The `Authorization` value for one call of an OAuth2 webhook connector, fetched or from the cache. */
export async function oauth2Authorization(
  ctx: SandboxContext,
  connector: StoredConnector,
  ssl: SslOverrides,
): Promise<string> {
  const c = connector.config as Record<string, unknown>;
  const s = connector.secrets as Record<string, unknown>;
  const accessTokenUrl = String(c.accessTokenUrl);
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: String(c.clientId),
    client_secret: typeof s.clientSecret === "string" ? s.clientSecret : "",
    ...(typeof c.scope === "string" ? { scope: c.scope } : {}),
  });
  if (typeof c.additionalFields === "string")
    for (const [k, v] of Object.entries(JSON.parse(c.additionalFields) as Record<string, unknown>))
      form.set(k, String(v));
  const key = `${accessTokenUrl}\n${form.toString()}`;
  const cache = cacheOf(ctx);
  const hit = cache.get(connector.id);
  if (hit && hit.key === key && hit.expiresAt > ctx.clock.now()) return hit.authorization;
  let body: { token_type?: string; access_token?: string; expires_in?: number | string };
  try {
    const res = await sendRequest(ctx, {
      connectorId: connector.id,
      method: "post",
      url: accessTokenUrl,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      data: form.toString(),
      ssl,
    });
    body = res.data as typeof body;
  } catch (err) {
    const e = err as { response?: { status: number; data?: { error?: string; error_description?: string } } };
    const detail = e.response
      ? `[${e.response.status}] ${e.response.data?.error ?? ""} ${e.response.data?.error_description ?? ""}`.trim()
      : (err as Error).message;
    throw new OAuthTokenError(`Unable to retrieve the access token from ${accessTokenUrl}: ${detail}`);
  }
  if (!body?.access_token) throw new OAuthTokenError(`The token response of ${accessTokenUrl} has no access_token`);
  const authorization = `${body.token_type ?? "Bearer"} ${body.access_token}`;
  const expiresIn = Number(body.expires_in ?? 0);
  cache.set(connector.id, { key, authorization, expiresAt: ctx.clock.now() + Math.max(0, expiresIn) * 1000 });
  return authorization;
}

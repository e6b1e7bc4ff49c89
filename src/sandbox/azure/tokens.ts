/**
 * Entra ID-shaped access tokens for the sandbox: JWTs (v1 claims: aud, iss, oid, tid, appid, idtyp) signed
 * with a per-sandbox HMAC key, checked on every call with the sandbox clock. Audiences follow Azure:
 * ARM accepts `https://management.azure.com` and `https://management.core.windows.net` (with or without
 * the trailing slash); Logs Ingestion `https://monitor.azure.com`; the query API `https://api.loganalytics.io`.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { SandboxClock } from "../common/clock.js";

export const AUDIENCES = {
  management: ["https://management.azure.com", "https://management.core.windows.net"],
  ingestion: ["https://monitor.azure.com"],
  logAnalytics: ["https://api.loganalytics.io"],
  /** Microsoft Graph (src/sandbox/azure/graph.ts). */
  graph: ["https://graph.microsoft.com"],
} as const;

/** The Azure CLI's public client id (`DeveloperSignOnClientId` in @azure/identity). */
export const AZURE_CLI_APP_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** Azure access tokens live 60–90 minutes; the sandbox uses 75 (sandbox time). */
export const TOKEN_LIFETIME_MS = 75 * 60_000;

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  tid: string;
  appid: string;
  idtyp: "user" | "app";
  ver: "1.0";
  /** For managed identities: the resource id the identity belongs to. */
  xms_mirid?: string;
  upn?: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; code: string; message: string; description: string };

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** `https://management.azure.com/.default` → `https://management.azure.com`. */
export function audienceFromScope(scope: string): string {
  return scope.replace(/\/\.default$/, "").replace(/\/+$/, "");
}

export function normaliseAudience(aud: string): string {
  return aud.replace(/\/+$/, "").toLowerCase();
}

export class TokenIssuer {
  private readonly key = randomBytes(32);
  readonly kid = randomUUID();

  constructor(
    readonly tenantId: string,
    readonly clock: SandboxClock,
    readonly lifetimeMs = TOKEN_LIFETIME_MS,
  ) {}

  issue(p: { audience: string; principalId: string; appId?: string; user?: boolean; mirid?: string; upn?: string }): {
    token: string;
    claims: TokenClaims;
  } {
    const now = Math.floor(this.clock.now() / 1000);
    const claims: TokenClaims = {
      aud: p.audience,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + Math.floor(this.lifetimeMs / 1000),
      oid: p.principalId,
      sub: p.principalId,
      tid: this.tenantId,
      // Users sign in through the Azure CLI's public client; service principals are their own app.
      appid: p.appId ?? (p.user ? AZURE_CLI_APP_ID : p.principalId),
      idtyp: p.user ? "user" : "app",
      ver: "1.0",
    };
    if (p.mirid) claims.xms_mirid = p.mirid;
    if (p.upn) claims.upn = p.upn;
    const head = b64url(JSON.stringify({ typ: "JWT", alg: "HS256", kid: this.kid }));
    const body = b64url(JSON.stringify(claims));
    const sig = createHmac("sha256", this.key).update(`${head}.${body}`).digest("base64url");
    return { token: `${head}.${body}.${sig}`, claims };
  }

  /**
   * Check a bearer token for one endpoint. Codes and messages follow ARM's
   * (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-authentication-token… ):
   * AuthenticationFailed (missing header), InvalidAuthenticationToken, ExpiredAuthenticationToken,
   * InvalidAuthenticationTokenAudience.
   */
  verify(authorization: string | undefined, audiences: readonly string[] | "any"): TokenCheck {
    if (!authorization)
      return {
        ok: false,
        code: "AuthenticationFailed",
        message: "Authentication failed. The 'Authorization' header is missing.",
        description: "The authentication failed because of missing 'Authorization' header.",
      };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m)
      return {
        ok: false,
        code: "AuthenticationFailed",
        message: "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        description: "The authentication failed because of an invalid 'Authorization' header.",
      };
    const invalid: TokenCheck = {
      ok: false,
      code: "InvalidAuthenticationToken",
      message: "The access token is invalid.",
      description: "The access token is invalid.",
    };
    const parts = m[1]!.split(".");
    if (parts.length !== 3) return invalid;
    const expected = createHmac("sha256", this.key).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2]!, "base64url");
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return invalid;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    } catch {
      return invalid;
    }
    const now = this.clock.now() / 1000;
    if (claims.exp <= now) {
      const msg = `The access token expiry UTC time '${new Date(claims.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date(now * 1000).toUTCString()}'.`;
      return {
        ok: false,
        code: "ExpiredAuthenticationToken",
        message: msg,
        description: "The access token has expired.",
      };
    }
    if (claims.nbf > now + 300) return invalid;
    // "any": the caller matches the audience itself (a Logic App trigger's authorization policy).
    if (audiences === "any") return { ok: true, claims };
    const allowed = audiences.map(normaliseAudience);
    if (!allowed.includes(normaliseAudience(claims.aud)))
      return {
        ok: false,
        code: "InvalidAuthenticationTokenAudience",
        message: `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}','${a}/'`).join(",")}.`,
        description: "The audience of the token is not valid for this endpoint.",
      };
    return { ok: true, claims };
  }
}

/**
 * A TokenCredential for one principal. The sandbox clock may jump forward in tests, so the reported
 * (real-time) expiry is under a second away: the Azure SDK's token cycler then asks again for each
 * request and never sends a token that is stale in sandbox time.
 */
export function sandboxCredential(
  issuer: TokenIssuer,
  principal: { principalId: string; user?: boolean; upn?: string; appId?: string },
): TokenCredential {
  return {
    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes[0]! : scopes;
      const { token } = issuer.issue({ audience: audienceFromScope(scope), ...principal });
      return { token, expiresOnTimestamp: Date.now() + 900, tokenType: "Bearer" };
    },
  };
}

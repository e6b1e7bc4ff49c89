/**
 * Who may call a Request trigger (Consumption). Source: "Secure access and data in Azure Logic Apps", section
 * "Enable OAuth with Microsoft Entra ID" (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#enable-oauth):
 * - a call carries one scheme, SAS (`sp`, `sv`, `sig` in the query) or OAuth (`Authorization: Bearer`); having one
 *   does not switch the other off, but a call with both fails: 401 DirectApiRequestHasMoreThanOneAuthorization
 *   "The request has SAS authentication scheme, 'Bearer' authorization scheme or internal token scheme. Only one
 *   scheme should be used.";
 * - only the Bearer scheme is accepted for OAuth;
 * - the token's claims must match every claim of at least one of the workflow's policies
 *   (`accessControl.triggers.openAuthenticationPolicies.policies`); the token may carry more. Otherwise
 *   MisMatchingOAuthClaims "One or more claims either missing or does not match with the open authentication access
 *   control policy." (403 as public reports show it [I]);
 * - a Bearer call to a workflow without policies is refused (OAuthAccessPolicyNotFound [I: the code as clients see it]);
 * - the OAuth call goes to the callback URL without its `sp`, `sv` and `sig` parameters.
 * Token signature and expiry are checked with the sandbox's TokenIssuer; a call with neither scheme gets 401
 * DirectApiAuthorizationRequired.
 */
import { timingSafeEqual } from "node:crypto";
import type { SandboxRequest } from "../common/router.js";
import { AzureError } from "./errors.js";
import { workflowSig } from "./resources/workflows.js";
import type { StoredResource } from "./state.js";
import type { TokenIssuer } from "./tokens.js";

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

interface Claim {
  name: string;
  value: string;
}

type Policies = Record<string, { type?: string; claims?: Claim[] }>;

export function triggerPolicies(rec: StoredResource): Policies {
  return (rec.resource.properties.accessControl?.triggers?.openAuthenticationPolicies?.policies ?? {}) as Policies;
}

/** Throws the error Logic Apps answers when the call may not run the trigger; returns the scheme it used. */
export function authorizeTriggerCall(
  issuer: TokenIssuer,
  rec: StoredResource,
  req: SandboxRequest,
  trigger: string,
): "sas" | "oauth" {
  const sasGiven = ["sig", "sp", "sv"].some((k) => req.query.has(k));
  const authorization = req.headers.authorization;
  if (sasGiven && authorization)
    throw new AzureError(
      401,
      "DirectApiRequestHasMoreThanOneAuthorization",
      "The request has SAS authentication scheme, 'Bearer' authorization scheme or internal token scheme. Only one scheme should be used.",
    );
  if (authorization) {
    checkOAuth(issuer, rec, authorization);
    return "oauth";
  }
  const sig = req.query.get("sig");
  const sp = req.query.get("sp");
  if (!sig || !sp || req.query.get("sv") !== "1.0")
    throw new AzureError(
      401,
      "DirectApiAuthorizationRequired",
      "The request must be authenticated only by Shared Access scheme.",
    );
  const valid =
    sp.toLowerCase() === `/triggers/${trigger}/run`.toLowerCase() &&
    [rec.secrets.primaryKey!, rec.secrets.secondaryKey!].some((k) =>
      same(sig, workflowSig(k, rec.secrets.workflowKey!, trigger)),
    );
  if (!valid)
    throw new AzureError(
      401,
      "DirectApiInvalidAuthorizationSignature",
      "The provided authentication token is not valid.",
    );
  return "sas";
}

function checkOAuth(issuer: TokenIssuer, rec: StoredResource, authorization: string): void {
  if (!/^Bearer\s+\S+$/i.test(authorization))
    throw new AzureError(
      401,
      "DirectApiInvalidAuthorizationScheme",
      "The authorization scheme of the request is not supported: only 'Bearer' access tokens are accepted.",
    );
  const policies = Object.values(triggerPolicies(rec));
  if (!policies.length)
    throw new AzureError(
      401,
      "OAuthAccessPolicyNotFound",
      "The request has 'Bearer' authorization scheme, but the workflow has no open authentication access control policy.",
    );
  const check = issuer.verify(authorization, "any");
  if (!check.ok) throw new AzureError(401, check.code, check.message);
  const claims = check.claims as unknown as Record<string, unknown>;
  const matches = policies.some(
    (p) => p.type === "AAD" && (p.claims ?? []).every((c) => String(claims[c.name] ?? "") === c.value),
  );
  if (!matches)
    throw new AzureError(
      403,
      "MisMatchingOAuthClaims",
      "One or more claims either missing or does not match with the open authentication access control policy.",
    );
}

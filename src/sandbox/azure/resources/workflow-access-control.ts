/**
 * `properties.accessControl` of a Consumption workflow: the trigger's Microsoft Entra ID authorization policies
 * (`triggers.openAuthenticationPolicies.policies.<name> = {type: "AAD", claims: [{name, value}]}`), checked as
 * Azure documents them ("Secure access and data in Azure Logic Apps", section "Enable OAuth with Microsoft Entra
 * ID", https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#enable-oauth, and the
 * authentication limits of https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#authentication-limits):
 * at most 5 policies, at most 10 claims each, each claim a single string value, and an `iss` claim whose value
 * starts with `https://sts.windows.net/` (or `https://login.microsoftonline.com/` for v2 tokens).
 * The error codes are the sandbox's own [I]: Azure's exact codes for these refusals were not found.
 */
import { badRequest } from "../errors.js";

export const MAX_POLICIES = 5;
export const MAX_CLAIMS = 10;
const ISSUERS = ["https://sts.windows.net/", "https://login.microsoftonline.com/"];

export function checkAccessControl(accessControl: unknown): void {
  if (accessControl === undefined || accessControl === null) return;
  if (typeof accessControl !== "object")
    throw badRequest("InvalidRequestContent", "The request content is not valid: 'accessControl' must be an object.");
  const triggers = (accessControl as { triggers?: { openAuthenticationPolicies?: { policies?: unknown } } }).triggers;
  const policies = triggers?.openAuthenticationPolicies?.policies;
  if (policies === undefined || policies === null) return;
  if (typeof policies !== "object" || Array.isArray(policies))
    throw badRequest(
      "InvalidOpenAuthenticationPolicies",
      "The open authentication policies must be an object of named policies.",
    );
  const entries = Object.entries(policies as Record<string, unknown>);
  if (entries.length > MAX_POLICIES)
    throw badRequest(
      "OpenAuthenticationPoliciesExceededLimit",
      `The workflow has ${entries.length} authorization policies; at most ${MAX_POLICIES} are allowed.`,
    );
  for (const [name, raw] of entries) {
    const p = (raw ?? {}) as { type?: unknown; claims?: unknown };
    if (p.type !== "AAD")
      throw badRequest("InvalidOpenAuthenticationPolicy", `Policy '${name}': the type must be 'AAD'.`);
    if (!Array.isArray(p.claims) || p.claims.length === 0)
      throw badRequest("InvalidOpenAuthenticationPolicy", `Policy '${name}' must have claims.`);
    if (p.claims.length > MAX_CLAIMS)
      throw badRequest(
        "OpenAuthenticationPolicyClaimsExceededLimit",
        `Policy '${name}' has ${p.claims.length} claims; at most ${MAX_CLAIMS} are allowed.`,
      );
    for (const c of p.claims as { name?: unknown; value?: unknown }[])
      if (typeof c?.name !== "string" || typeof c.value !== "string")
        throw badRequest(
          "InvalidOpenAuthenticationPolicy",
          `Policy '${name}': each claim needs a name and one string value.`,
        );
    const iss = (p.claims as { name: string; value: string }[]).find((c) => c.name === "iss");
    if (!iss || !ISSUERS.some((i) => iss.value.startsWith(i)))
      throw badRequest(
        "InvalidOpenAuthenticationPolicy",
        `Policy '${name}' must have an 'iss' claim starting with ${ISSUERS.join(" or ")}.`,
      );
  }
}

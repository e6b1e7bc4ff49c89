/**
 * One place that turns Azure's answers into our typed errors, naming the role or action that is missing.
 * Azure's error body: `{"error":{"code","message","details":[…]}}` (ARM common types, ErrorResponse).
 */
import { AuthError, RemoteError, type SentinelElasticError } from "../errors.js";
import { redact } from "../redact.js";

export interface AzureErrorBody {
  code?: string;
  message?: string;
  target?: string;
  details?: AzureErrorBody[];
}

export function errorBodyOf(body: unknown): AzureErrorBody | undefined {
  if (body && typeof body === "object") {
    const e = (body as { error?: unknown }).error;
    if (e && typeof e === "object") return e as AzureErrorBody;
    if ("code" in body || "message" in body) return body as AzureErrorBody;
  }
  return undefined;
}

/** Built-in roles that grant an action, for the remedy of a 403 (learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
const rolesByAction: [RegExp, string][] = [
  [
    /^Microsoft\.Authorization\/roleAssignments\//i,
    "Owner, User Access Administrator or Role Based Access Control Administrator",
  ],
  [/^Microsoft\.Authorization\/permissions\//i, "Reader"],
  [/^Microsoft\.Logic\//i, "Logic App Contributor"],
  [/^Microsoft\.Web\/connections\//i, "Logic App Contributor"],
  [/^Microsoft\.SecurityInsights\/incidents\//i, "Microsoft Sentinel Responder"],
  [/^Microsoft\.SecurityInsights\//i, "Microsoft Sentinel Contributor"],
  [/^Microsoft\.OperationalInsights\/workspaces\/tables\//i, "Log Analytics Contributor"],
  [/^Microsoft\.OperationalInsights\//i, "Log Analytics Contributor"],
  [/^Microsoft\.Insights\/dataCollectionRules\//i, "Monitoring Contributor"],
  [/^Microsoft\.Insights\/Telemetry\/Write/i, "Monitoring Metrics Publisher"],
  [/^Microsoft\.Resources\//i, "Contributor"],
];

export function roleFor(action: string): string {
  return rolesByAction.find(([re]) => re.test(action))?.[1] ?? "Contributor";
}

/** `… does not have authorization to perform action 'X' over scope 'Y' …` (ARM AuthorizationFailed). */
export function parseAuthorizationFailed(message: string): { action?: string; scope?: string } {
  const action = /perform action '([^']+)'/i.exec(message)?.[1];
  const scope = /over scope '([^']+)'/i.exec(message)?.[1];
  return { action, scope };
}

export interface RequestInfo {
  method: string;
  url: string;
  /** What we were doing, for the message: "reading the workspace". */
  what?: string;
}

function location(info: RequestInfo): string {
  const u = new URL(info.url);
  return `${info.method} ${u.pathname}`;
}

/** Map an HTTP failure from Azure to a typed error. */
export function azureError(
  status: number,
  body: unknown,
  info: RequestInfo,
  retryAfterSeconds?: number,
): SentinelElasticError {
  const e = errorBodyOf(body);
  const code = e?.code ?? `Http${status}`;
  const message = redact(e?.message ?? (typeof body === "string" ? body.slice(0, 300) : `HTTP ${status}`));
  const doing = info.what ? `${info.what}: ` : "";
  const details = { status, azureCode: code, request: redact(location(info)) };
  if (status === 401) {
    return new AuthError(`${doing}Azure rejected the credential (${code}): ${message}`, {
      code: "AZURE_UNAUTHENTICATED",
      suggestion: "Sign in again (az login, or the credential set by --azure-credential) and check azure.tenantId.",
      details,
    });
  }
  if (status === 403) {
    const { action, scope } = parseAuthorizationFailed(message);
    const role = action ? roleFor(action) : undefined;
    return new AuthError(
      `${doing}permission denied${action ? ` for action ${action}` : ""}${scope ? ` on ${scope}` : ""} (${code}): ${message}`,
      {
        code: "AZURE_FORBIDDEN",
        suggestion: role
          ? `Ask an owner to grant the role "${role}" (it includes ${action}) on ${scope ?? "the scope above"}, then run again.`
          : "Ask an owner for the missing permission named above, then run again.",
        details: { ...details, action, scope, role },
      },
    );
  }
  const remote = (codeName: string, suggestion: string) =>
    new RemoteError(`${doing}Azure answered ${status} ${code}: ${message}`, {
      code: codeName,
      remote: "azure",
      status,
      suggestion,
      details: { ...details, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
    });
  if (status === 404)
    return remote("AZURE_NOT_FOUND", "Check the subscription, resource group and names in the configuration.");
  if (status === 409 || status === 412)
    return remote("AZURE_CONFLICT", "Another change to the same resource was in progress; run again.");
  if (status === 429)
    return remote(
      "AZURE_THROTTLED",
      `Azure is throttling requests${retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : ""}; run again in a minute.`,
    );
  if (status >= 500)
    return remote(
      "AZURE_SERVER_ERROR",
      "Azure had a transient failure; run again. Nothing is left half-done: a re-run converges.",
    );
  return remote("AZURE_BAD_REQUEST", "Azure refused the request; the message above says why.");
}

/**
 * Azure's nested error details as lines `code: message`, depth-first, leaving out the generic wrappers
 * ("DeploymentFailed: At least one resource deployment operation failed"). Nested deployments carry the inner
 * error as a JSON string in `message`: that is unwrapped too.
 */
export function flattenErrorDetails(e: AzureErrorBody | undefined, out: string[] = []): string[] {
  if (!e) return out;
  if (e.message?.trim().startsWith("{")) {
    try {
      const inner = errorBodyOf(JSON.parse(e.message));
      if (inner) return flattenErrorDetails(inner, out);
    } catch {
      // not JSON: keep the text
    }
  }
  const kids = e.details ?? [];
  const generic = /^(DeploymentFailed|ResourceDeploymentFailure|InvalidTemplateDeployment|Conflict)$/i.test(
    e.code ?? "",
  );
  if (e.message && (!generic || kids.length === 0)) out.push(`${e.code ?? "Error"}: ${redact(e.message)}`);
  for (const d of kids) flattenErrorDetails(d, out);
  return out;
}

/**
 * `.cases-webhook` execution, step for step as Kibana's
 * SC9/server/connector_types/cases_webhook/{service,api,utils,validators}.ts (same logic in SC8):
 * - createIncidentUrl is NOT rendered (only removeSlash); the other URLs render with
 *   external.system.id = encodeURIComponent(id);
 * - JSON templates render with `case.*` values JSON-stringified first (stringifyObjValues) and
 *   external.system.id = JSON.stringify(id); every rendered body must pass JSON.parse;
 * - create → lodash-get the id → ALWAYS get the incident (GET, or POST on 8.17+) → comments;
 *   update (externalId set) → get → comments;
 * - responses need a JSON content-type and the required keys (`null` is accepted);
 * - errors read `[Action][Webhook - Case Management]: Unable to create case. Error: … Reason: …`.
 */
import type { AxiosResponse } from "axios";
import type { SandboxContext } from "../../context.js";
import { lodashGet } from "../../lodash-get.js";
import { renderNoEscape } from "../../mustache.js";
import { sendRequest, type SslOverrides } from "./http-client.js";
import type { StoredConnector } from "./model.js";

const CONNECTOR_NAME = "Webhook - Case Management";

export interface PushIncident {
  title: string;
  description?: string | null;
  tags?: string[] | null;
  id?: string | null;
  severity?: string | null;
  status?: string | null;
  externalId?: string | null;
}

export interface PushComment {
  comment: string;
  commentId: string;
}

export interface PushResult {
  id: string;
  title: string;
  url: string;
  pushedDate: string;
  comments?: { commentId: string; pushedDate: string }[];
}

interface AxiosLikeError extends Error {
  response?: { data?: unknown; statusText?: string; status?: number };
}

const getErrorMessage = (msg: string) => `[Action][${CONNECTOR_NAME}]: ${msg}`;

function addServiceMessage(error: unknown, message: string): Error {
  const e = (error instanceof Error ? error : new Error(String(error))) as AxiosLikeError;
  const serverResponse = e.response?.data ? JSON.stringify(e.response.data) : null;
  e.message = getErrorMessage(
    `${message}. Error: ${e.message}. ${serverResponse ?? ""} ${e.response?.statusText != null ? `Reason: ${e.response.statusText}` : ""}`,
  );
  return e;
}

export function getValueAsString(obj: unknown, key: string): string | undefined {
  const value = lodashGet(obj, key);
  return value === undefined ? undefined : `${value}`;
}

function isEmptyLike(data: unknown): boolean {
  if (data == null || data === "") return true;
  if (typeof data === "object") return Object.keys(data).length === 0;
  return false;
}

/** utils.ts throwDescriptiveErrorIfResponseIsNotValid */
export function checkResponse(res: AxiosResponse, required: string[] = []): void {
  const contentType = res.headers["content-type"] as string | undefined;
  if (res.status === 204 && isEmptyLike(res.data) && required.length === 0) return;
  const where = `${res.config.method} ${res.config.url}`;
  if (contentType == null)
    throw new Error(`Missing content type header in ${where}. Supported content types: application/json`);
  if (!contentType.includes("application/json"))
    throw new Error(`Unsupported content type: ${contentType} in ${where}. Supported content types: application/json`);
  if (!isEmptyLike(res.data) && (typeof res.data !== "object" || res.data === null))
    throw new Error("Response is not a valid JSON");
  const missing = required.filter((k) => getValueAsString(res.data, k) === undefined);
  if (missing.length)
    throw new Error(
      `Response is missing the expected ${missing.length > 1 ? "fields" : "field"}: ${missing.join(", ")}`,
    );
}

const removeSlash = (url: string) => (url.endsWith("/") ? url.slice(0, -1) : url);

/** validators.ts validateAndNormalizeUrl */
function validateAndNormalizeUrl(ctx: SandboxContext, url: string, desc: string): string {
  try {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (e) {
      throw new Error((e as Error).message);
    }
    if (!parsed.hostname) throw new Error("URL must contain hostname");
    if (!["http:", "https:"].includes(parsed.protocol)) throw new Error("Invalid protocol");
    const allowed = ctx.allowedHosts;
    if (!allowed.includes("*") && !allowed.includes(parsed.hostname))
      throw new Error(
        `error configuring connector action: target url "${url}" is not added to the Kibana config xpack.actions.allowedHosts`,
      );
    return removeSlash(url).replace(/([^:]\/)\/+/g, "$1");
  } catch (e) {
    throw new Error(`Invalid ${desc}: ${e}`);
  }
}

function validateJson(json: string, desc: string): void {
  try {
    JSON.parse(json);
  } catch {
    throw new Error(`JSON Error: ${desc} must be valid JSON`);
  }
}

const stringifyCase = (props: Record<string, unknown>) => ({
  case: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, JSON.stringify(v)])),
});

export async function pushToCasesWebhook(
  ctx: SandboxContext,
  connector: StoredConnector,
  params: { incident: PushIncident; comments: PushComment[] | null },
): Promise<PushResult> {
  const c = connector.config as Record<string, any>;
  const s = connector.secrets as Record<string, any>;
  const hasAuth = c.hasAuth !== false;
  const basic = hasAuth && (c.authType === "webhook-authentication-basic" || !c.authType);
  const ssl: SslOverrides = {};
  if (hasAuth && c.authType === "webhook-authentication-ssl") {
    if (typeof s.pfx === "string") Object.assign(ssl, { pfx: Buffer.from(s.pfx, "base64") });
    else if (typeof s.crt === "string" && typeof s.key === "string")
      Object.assign(ssl, { cert: Buffer.from(s.crt, "base64"), key: Buffer.from(s.key, "base64") });
    if (Object.keys(ssl).length && typeof s.password === "string") ssl.passphrase = s.password;
  }
  if (c.verificationMode) ssl.verificationMode = c.verificationMode;
  if (c.ca) ssl.ca = Buffer.from(c.ca, "base64");
  // common/auth/utils.ts validateConnectorAuthConfiguration
  if (
    (basic && (!s.user || !s.password)) ||
    (c.authType === "webhook-authentication-ssl" && Object.keys(ssl).length === 0)
  )
    throw new Error(`[Action]${CONNECTOR_NAME}: Wrong configuration.`);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(c.headers ?? {}),
    ...(s.secretHeaders ?? {}),
  };
  const auth = basic ? { username: String(s.user), password: String(s.password) } : undefined;
  const send = (method: string, url: string, data?: string | null) =>
    sendRequest(ctx, { connectorId: connector.id, method, url, headers, data: data ?? undefined, auth, ssl });
  const now = () => ctx.clock.date().toISOString();

  const getIncident = async (id: string) => {
    try {
      const url = validateAndNormalizeUrl(
        ctx,
        renderNoEscape(c.getIncidentUrl, { external: { system: { id: encodeURIComponent(id) } } }),
        "Get case URL",
      );
      const method = c.getIncidentMethod ?? "get";
      const json =
        method === "post" && c.getIncidentJson
          ? renderNoEscape(c.getIncidentJson, { external: { system: { id: JSON.stringify(id) } } })
          : null;
      if (json !== null) validateJson(json, "Get case JSON body");
      const res = await send(method, url, method === "post" ? json : undefined);
      checkResponse(res, [c.getIncidentResponseExternalTitleKey]);
      return { id, title: getValueAsString(res.data, c.getIncidentResponseExternalTitleKey)! };
    } catch (e) {
      throw addServiceMessage(e, `Unable to get case with id ${id}`);
    }
  };
  const viewUrl = (id: string, title: string) =>
    validateAndNormalizeUrl(
      ctx,
      renderNoEscape(c.viewIncidentUrl, {
        external: { system: { id: encodeURIComponent(id), title: encodeURIComponent(title) } },
      }),
      "View case URL",
    );
  const { incident } = params;
  const caseVars = stringifyCase({
    description: incident.description ?? "",
    id: incident.id ?? "",
    severity: incident.severity ?? "",
    status: incident.status ?? "",
    tags: incident.tags ?? [],
    title: incident.title,
  });

  let result: PushResult;
  if (incident.externalId != null) {
    const incidentId = incident.externalId;
    try {
      const url = validateAndNormalizeUrl(
        ctx,
        renderNoEscape(c.updateIncidentUrl, { external: { system: { id: encodeURIComponent(incidentId) } } }),
        "Update case URL",
      );
      const json = renderNoEscape(c.updateIncidentJson, {
        ...caseVars,
        external: { system: { id: JSON.stringify(incidentId) } },
      });
      validateJson(json, "Update case JSON body");
      const res = await send(c.updateIncidentMethod ?? "put", url, json);
      checkResponse(res);
      const updated = await getIncident(incidentId);
      result = { id: incidentId, title: updated.title, url: viewUrl(incidentId, updated.title), pushedDate: now() };
    } catch (e) {
      throw addServiceMessage(e, `Unable to update case with id ${incidentId}`);
    }
  } else {
    try {
      const url = validateAndNormalizeUrl(ctx, removeSlash(c.createIncidentUrl), "Create case URL");
      const json = renderNoEscape(c.createIncidentJson, caseVars);
      validateJson(json, "Create case JSON body");
      const res = await send(c.createIncidentMethod ?? "post", url, json);
      checkResponse(res, [c.createIncidentResponseKey]);
      const externalId = getValueAsString(res.data, c.createIncidentResponseKey)!;
      const inserted = await getIncident(externalId);
      result = { id: externalId, title: inserted.title, url: viewUrl(externalId, inserted.title), pushedDate: now() };
    } catch (e) {
      throw addServiceMessage(e, "Unable to create case");
    }
  }

  // api.ts pushToServiceHandler: comments with text are sent one by one after the incident.
  const comments = params.comments ?? [];
  if (comments.length > 0) {
    result.comments = [];
    for (const comment of comments) {
      if (!comment.comment) continue;
      if (c.createCommentUrl && c.createCommentJson && c.createCommentMethod) {
        try {
          const url = validateAndNormalizeUrl(
            ctx,
            renderNoEscape(c.createCommentUrl, { external: { system: { id: encodeURIComponent(result.id) } } }),
            "Create comment URL",
          );
          const json = renderNoEscape(c.createCommentJson, {
            ...stringifyCase({ comment: comment.comment }),
            external: { system: { id: JSON.stringify(result.id) } },
          });
          validateJson(json, "Create comment JSON body");
          const res = await send(c.createCommentMethod, url, json);
          checkResponse(res);
        } catch (e) {
          throw addServiceMessage(e, `Unable to create comment at case with id ${result.id}`);
        }
      }
      result.comments.push({ commentId: comment.commentId, pushedDate: result.pushedDate });
    }
  }
  return result;
}

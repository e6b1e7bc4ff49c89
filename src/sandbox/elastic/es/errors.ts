/**
 * Elasticsearch error bodies: `{error:{root_cause:[…], type, reason, …}, status}`
 * (ES: ElasticsearchException.generateFailureXContent).
 */
import { BadJson, type SandboxResponse } from "../../common/router.js";
import { EsError } from "./store.js";

export const ES_HEADERS = { "x-elastic-product": "Elasticsearch" };

export function esErrorResponse(
  status: number,
  type: string,
  reason: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  const cause = { type, reason, ...extra };
  return { status, headers: { ...ES_HEADERS }, body: { error: { root_cause: [cause], ...cause }, status } };
}

export function esFromError(err: unknown): SandboxResponse {
  if (err instanceof EsError) return esErrorResponse(err.status, err.type, err.reason, err.extra);
  if (err instanceof BadJson) return esErrorResponse(400, "x_content_parse_exception", `[1:1] ${err.message}`);
  return esErrorResponse(500, "exception", err instanceof Error ? err.message : String(err));
}

/** 401 as ES answers it, with both challenges (ES: DefaultAuthenticationFailureHandler). */
export function esUnauthorized(reason: string, extra: Record<string, unknown> = {}): SandboxResponse {
  const header = { "WWW-Authenticate": ['Basic realm="security", charset="UTF-8"', "ApiKey"] };
  const res = esErrorResponse(401, "security_exception", reason, { ...extra, header });
  res.headers = { ...res.headers, "www-authenticate": 'Basic realm="security", charset="UTF-8", ApiKey' };
  return res;
}

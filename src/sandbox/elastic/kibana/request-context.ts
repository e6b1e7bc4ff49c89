/**
 * Per-request facts the Kibana routes need: the space (from the `/s/<space>` prefix, which Kibana's
 * spaces plugin strips before routing: x-pack/platform/plugins/shared/spaces/server/lib/request_interceptors/
 * on_request_interceptor.ts) and the authenticated principal.
 */
import type { IncomingMessage } from "node:http";
import type { SandboxRequest } from "../../common/router.js";
import { hasKibanaFeature, type Principal } from "../auth.js";
import type { SandboxContext, SpaceData } from "../context.js";
import { KibanaError } from "./http.js";

export interface KibanaRequestInfo {
  spaceId: string;
  principal?: Principal;
}

const infos = new WeakMap<IncomingMessage, KibanaRequestInfo>();

export function setInfo(req: IncomingMessage, info: KibanaRequestInfo): void {
  infos.set(req, info);
}

export function infoOf(req: SandboxRequest): KibanaRequestInfo {
  return infos.get(req.req) ?? { spaceId: "default" };
}

export function spaceOf(ctx: SandboxContext, req: SandboxRequest): SpaceData {
  const id = infoOf(req).spaceId;
  const space = ctx.spaces.get(id);
  if (!space) throw new KibanaError(404, `Saved object [space/${id}] not found`);
  return space;
}

/** Feature ids renamed across versions (siem → siemV2/V3, cases → securitySolutionCasesV2/V3). */
const FEATURE_ALIASES: Record<string, string[]> = {
  siem: ["siem", "siemV2", "siemV3", "siemV4"],
  securitySolutionCases: ["securitySolutionCases", "securitySolutionCasesV2", "securitySolutionCasesV3"],
  actions: ["actions"],
};

/** Kibana feature privilege check; 403 with the message shape Kibana's authorization gives. */
export function requireFeature(
  req: SandboxRequest,
  feature: string | string[],
  level: "read" | "all",
  what: string,
): void {
  const { principal, spaceId } = infoOf(req);
  if (!principal || principal.superuser) return;
  const ids = Array.isArray(feature) ? feature : (FEATURE_ALIASES[feature] ?? [feature]);
  if (!ids.some((f) => hasKibanaFeature(principal, spaceId, f, level)))
    throw new KibanaError(403, `Unauthorized to ${what}`);
}

export function username(req: SandboxRequest): string {
  return infoOf(req).principal?.username ?? "elastic";
}

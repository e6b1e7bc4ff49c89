/**
 * Shared helpers for the Cases routes: io-ts style strict decoding (`decodeWithExcessOrThrow`, which
 * reports excess keys as `invalid keys "a,b"`), users, versions and owners.
 * CASES/common/api/runtime_types.ts (decodeWithExcessOrThrow, formatErrors).
 */
import type { SandboxRequest } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { badRequest, isPlainObject } from "../http.js";
import { username } from "../request-context.js";
import type { CaseUser } from "./model.js";

export const OWNERS = ["securitySolution", "observability", "cases"];

export function caseUser(req: SandboxRequest): CaseUser {
  return { username: username(req), full_name: null, email: null };
}

/** Saved-object versions look like `WzEsMV0=` (base64 of `[seq,1]`). */
export function nextVersion(ctx: SandboxContext): string {
  ctx.seq += 1;
  return Buffer.from(`[${ctx.seq},1]`).toString("base64");
}

export function strictBody(req: SandboxRequest, allowed: string[], required: string[] = []): Record<string, unknown> {
  const body = req.json();
  if (!isPlainObject(body))
    throw badRequest(
      `Invalid value "${body === undefined ? "undefined" : JSON.stringify(body)}" supplied to "(request body)"`,
    );
  const excess = Object.keys(body).filter((k) => !allowed.includes(k));
  if (excess.length) throw badRequest(`invalid keys "${excess.join(",")}"`);
  for (const k of required) if (body[k] === undefined) throw badRequest(`Invalid value "undefined" supplied to "${k}"`);
  return body;
}

export function expectString(body: Record<string, unknown>, key: string, optional = false): void {
  const v = body[key];
  if (v === undefined && optional) return;
  if (typeof v !== "string")
    throw badRequest(`Invalid value "${JSON.stringify(v) ?? "undefined"}" supplied to "${key}"`);
}

export function expectOneOf(body: Record<string, unknown>, key: string, values: string[], optional = false): void {
  const v = body[key];
  if (v === undefined && optional) return;
  if (typeof v !== "string" || !values.includes(v))
    throw badRequest(`Invalid value "${JSON.stringify(v) ?? "undefined"}" supplied to "${key}"`);
}

/** CASES/common/types/domain/connector/v1.ts: `.cases-webhook` and `.none` take `fields: null`. */
export const CASE_CONNECTOR_TYPES = [
  ".cases-webhook",
  ".jira",
  ".none",
  ".resilient",
  ".servicenow",
  ".servicenow-sir",
  ".swimlane",
  ".thehive",
];

export function validateCaseConnector(value: unknown, key = "connector"): void {
  if (!isPlainObject(value))
    throw badRequest(`Invalid value "${JSON.stringify(value) ?? "undefined"}" supplied to "${key}"`);
  const excess = Object.keys(value).filter((k) => !["id", "name", "type", "fields"].includes(k));
  if (excess.length) throw badRequest(`invalid keys "${excess.join(",")}"`);
  for (const k of ["id", "name"])
    if (typeof value[k] !== "string")
      throw badRequest(`Invalid value "${JSON.stringify(value[k]) ?? "undefined"}" supplied to "${key},${k}"`);
  if (typeof value.type !== "string" || !CASE_CONNECTOR_TYPES.includes(value.type))
    throw badRequest(`Invalid value "${JSON.stringify(value.type) ?? "undefined"}" supplied to "${key},type"`);
  if ((value.type === ".cases-webhook" || value.type === ".none") && value.fields !== null)
    throw badRequest(`Invalid value "${JSON.stringify(value.fields) ?? "undefined"}" supplied to "${key},fields"`);
}

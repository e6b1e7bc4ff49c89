/**
 * The actions framework around a connector's executor (ACT/server/lib/action_executor.ts):
 * licence check, params validation (→ status:error, retry:false), and a thrown executor error becomes
 * `{status:'error', message:'an error occurred while running the action', serviceMessage, retry:true}`.
 */
import { licenseAtLeast, type SandboxContext } from "../../context.js";
import { SchemaError } from "../schema.js";
import { pushToCasesWebhook } from "./cases-webhook.js";
import { CONNECTOR_TYPES, type StoredConnector } from "./model.js";
import { validateParams } from "./validate.js";
import { type ExecutorResult, executeWebhook } from "./webhook.js";

export type { ExecutorResult } from "./webhook.js";

/**
 * ACT/server/lib/license_state.ts: the message for a connector type the licence does not cover; the
 * routes answer it with 403 (ACT/server/lib/errors/action_type_disabled.ts `res.forbidden`).
 */
export function licenseError(ctx: SandboxContext, typeId: string): string | undefined {
  const info = CONNECTOR_TYPES.find((t) => t.id === typeId);
  if (!info) return undefined;
  if (ctx.license.status !== "active")
    return `Action type ${typeId} is disabled because your ${ctx.license.type} license has expired.`;
  if (!licenseAtLeast(ctx.license.type, info.minimum_license_required))
    return `Action type ${typeId} is disabled because your ${ctx.license.type} license does not support it. Please upgrade your license.`;
  return undefined;
}

export async function executeConnector(
  ctx: SandboxContext,
  connector: StoredConnector,
  rawParams: Record<string, unknown>,
): Promise<ExecutorResult> {
  const actionId = connector.id;
  let params: Record<string, unknown>;
  try {
    params = validateParams(connector.connector_type_id, ctx.version, rawParams);
  } catch (e) {
    if (e instanceof SchemaError)
      return { status: "error", actionId, message: e.message, retry: false, errorSource: "user" };
    throw e;
  }
  try {
    if (connector.connector_type_id === ".webhook")
      return await executeWebhook(ctx, connector, params as { body?: string });
    if (connector.connector_type_id === ".cases-webhook") {
      const sub = params.subActionParams as Parameters<typeof pushToCasesWebhook>[2];
      const data = await pushToCasesWebhook(ctx, connector, sub);
      return { status: "ok", actionId, data };
    }
    return { status: "ok", actionId };
  } catch (err) {
    return {
      status: "error",
      actionId,
      message: "an error occurred while running the action",
      serviceMessage: (err as Error).message,
      retry: true,
      errorSource: "framework",
    };
  }
}

/** ACT/server/routes/connector/execute/transforms/transform_connector_response/v1.ts */
export function executeResponse(r: ExecutorResult) {
  return {
    connector_id: r.actionId,
    status: r.status,
    ...(r.data !== undefined ? { data: r.data } : {}),
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.serviceMessage !== undefined ? { service_message: r.serviceMessage } : {}),
    ...(r.retry !== undefined ? { retry: r.retry } : {}),
    ...(r.errorSource !== undefined ? { errorSource: r.errorSource } : {}),
  };
}

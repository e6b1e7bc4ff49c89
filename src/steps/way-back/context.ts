/**
 * What every way-back step needs, worked out once per run and kept in `ctx.shared.wayBack`
 * (in memory only): the workspace, the app registration, the Kibana version. Secrets are registered for
 * redaction the moment they are read.
 */
import type { StepContext } from "../../engine/types.js";
import { InputError } from "../../errors.js";
import { getStatus } from "../../kibana/status.js";
import { registerSecret } from "../../redact.js";
import { fleetHttp } from "./clients.js";
import { AGENTLESS, type WorkspaceRef } from "../../names.js";

export interface WayBackInputs {
  prefix: string;
  workspace: WorkspaceRef;
  tenantId: string;
  clientId: string;
  /** `agentless`, an agent policy id, or undefined for our own agent policy. */
  agentPolicy: { kind: "agentless" } | { kind: "existing"; id: string } | { kind: "ours" };
}

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared">;

interface Memo {
  inputs?: WayBackInputs;
  kibanaVersion?: Promise<string>;
}

declare module "../../engine/shared-state.js" {
  interface SharedState {
    /** The way back's inputs and Kibana version, worked out once per run. */
    wayBack?: Memo;
  }
}

function memo(ctx: Ctx): Memo {
  ctx.shared.wayBack ??= {};
  return ctx.shared.wayBack;
}

/** The inputs, validated; missing ones are listed together with where to set them. */
export function wayBackInputs(ctx: Ctx): WayBackInputs {
  const m = memo(ctx);
  if (m.inputs) return m.inputs;
  const { config } = ctx;
  const s = config.sentinelToElastic;
  registerSecret(s.clientSecret);
  registerSecret(s.eventHub.connectionString);
  registerSecret(s.eventHub.storageAccountKey);
  const ws = ctx.names.workspace;
  const tenantId = s.tenantId ?? config.azure.tenantId;
  const problems: { key: string; message: string; where: string }[] = [];
  const need = (
    ok: unknown,
    key: string,
    where: string,
    message = "required for the Sentinel → Elastic integration",
  ) => {
    if (!ok) problems.push({ key, message, where });
  };
  need(ws.subscriptionId, "azure.subscriptionId", "--subscription-id or AZURE_SUBSCRIPTION_ID");
  need(ws.resourceGroup, "sentinel.resourceGroup", "--workspace-resource-group (or --resource-group)");
  need(ws.workspaceName, "sentinel.workspaceName", "--workspace or SENTINEL_WORKSPACE_NAME");
  need(
    tenantId,
    "sentinelToElastic.tenantId",
    "--integration-tenant-id or SENTINEL_TO_ELASTIC_TENANT_ID (default: azure.tenantId)",
  );
  need(s.clientId, "sentinelToElastic.clientId", "--integration-client-id or SENTINEL_TO_ELASTIC_CLIENT_ID");
  need(s.clientSecret, "sentinelToElastic.clientSecret", "SENTINEL_TO_ELASTIC_CLIENT_SECRET (never a flag)");
  if (problems.length)
    throw new InputError(`The Sentinel → Elastic integration is missing ${problems.map((p) => p.key).join(", ")}.`, {
      code: "WAY_BACK_INPUT_MISSING",
      suggestion: `Set ${problems.map((p) => p.where).join("; ")}.`,
      problems,
    });
  const agentPolicyId = s.agentPolicyId?.trim();
  m.inputs = {
    prefix: ctx.names.prefix,
    workspace: ws as WorkspaceRef,
    tenantId: tenantId!,
    clientId: s.clientId!,
    agentPolicy: !agentPolicyId
      ? { kind: "ours" }
      : agentPolicyId === AGENTLESS
        ? { kind: "agentless" }
        : { kind: "existing", id: agentPolicyId },
  };
  return m.inputs;
}

/** The Kibana version: from preflight's hand-off when present, else `GET /api/status`. */
export function kibanaVersion(ctx: Ctx): Promise<string> {
  if (ctx.shared.kibana?.version) return Promise.resolve(ctx.shared.kibana.version);
  const m = memo(ctx);
  m.kibanaVersion ??= (async () => {
    const status = await getStatus(await fleetHttp(ctx));
    const v = status.version?.number;
    if (!v)
      throw new InputError("Kibana did not report its version (GET /api/status).", {
        code: "KIBANA_VERSION_UNKNOWN",
        suggestion: "Use credentials that can read /api/status (any authenticated user can).",
      });
    return v;
  })();
  return m.kibanaVersion;
}

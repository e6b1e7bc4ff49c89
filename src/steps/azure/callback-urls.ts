/**
 * Callback URLs: read with listCallbackUrl at run time, handed to the Kibana steps in memory only
 * (ctx.shared.callbackUrls). They are never template outputs (deployment history keeps outputs) and never
 * printed: the `sig` is registered as a secret the moment it is read, and messages use describeUrl.
 */
import type { AzureClients } from "../../azure/client.js";
import type { Change, Check, Step, StepContext } from "../../engine/types.js";
import type { SharedState } from "../../engine/shared-state.js";
import { describeUrl, registerSecret } from "../../redact.js";
import { factsOf } from "./facts.js";
import { DEPLOY_ID } from "./deploy-plan.js";
import { ROTATE_KEYS_ID, rotateRequested } from "./access-keys.js";

export const CALLBACK_URLS_ID = "azure-callback-urls";

type Key = keyof SharedState["callbackUrls"];

function wanted(ctx: Pick<StepContext, "config" | "names">): { key: Key; workflow: string }[] {
  const n = ctx.names.azure;
  return [
    ...(ctx.config.features.caseSync
      ? [
          { key: "caseSync" as const, workflow: n.caseSync },
          { key: "caseGet" as const, workflow: n.caseGet },
        ]
      : []),
    ...(ctx.config.features.alertForwarding ? [{ key: "alertIngest" as const, workflow: n.alertIngest }] : []),
  ];
}

/** Read one workflow's callback URL, registering its secret parts before anything else sees it. */
export async function readCallbackUrl(az: AzureClients, resourceGroup: string, workflow: string): Promise<string> {
  const cb = await az.arm.listCallbackUrl(resourceGroup, workflow);
  registerSecret(cb.queries?.sig);
  const sig = new URL(cb.value).searchParams.get("sig");
  registerSecret(sig);
  registerSecret(cb.value);
  return cb.value;
}

/** Fill ctx.shared.callbackUrls for every deployed workflow; returns the keys of workflows not deployed yet. */
export async function readCallbackUrls(ctx: StepContext): Promise<Key[]> {
  const az = await ctx.clients.azure();
  const rg = factsOf(ctx).logicAppsResourceGroup;
  const missing: Key[] = [];
  for (const { key, workflow } of wanted(ctx)) {
    const wf = await az.arm.workflow(rg, workflow);
    if (!wf) {
      missing.push(key);
      continue;
    }
    ctx.shared.callbackUrls[key] = await readCallbackUrl(az, rg, workflow);
  }
  return missing;
}

export const azureCallbackUrls: Step = {
  id: CALLBACK_URLS_ID,
  title: "Logic Apps callback URLs (read at run time, kept in memory)",
  target: "azure",
  after: [DEPLOY_ID, ROTATE_KEYS_ID],
  enabled: (c) => c.features.caseSync || c.features.alertForwarding,
  async plan(ctx) {
    const missing = factsOf(ctx).logicAppsResourceGroupExists
      ? await readCallbackUrls(ctx)
      : wanted(ctx).map((w) => w.key);
    const rotate = rotateRequested(ctx);
    return wanted(ctx).map(({ key, workflow }): Change => {
      const later = missing.includes(key);
      if (rotate && !later)
        return {
          step: CALLBACK_URLS_ID,
          target: "azure",
          resource: "callback URL",
          name: workflow,
          action: "update",
          reason: "read again after the key rotation (kept in memory)",
        };
      return {
        step: CALLBACK_URLS_ID,
        target: "azure",
        resource: "callback URL",
        name: workflow,
        // Reading is not a change in Azure; it only has to happen after the workflow exists.
        action: later ? "create" : "no-op",
        reason: later ? "read once the workflow is deployed" : "read with listCallbackUrl (kept in memory)",
      };
    });
  },
  async apply(ctx) {
    const missing = await readCallbackUrls(ctx);
    for (const { key, workflow } of wanted(ctx)) {
      const url = ctx.shared.callbackUrls[key];
      if (url) ctx.io.message("debug", `Callback URL of ${workflow}: ${describeUrl(url)}`);
    }
    if (missing.length)
      ctx.io.message("warn", `No callback URL yet for: ${missing.join(", ")} (workflow not deployed).`);
  },
  async verify(ctx): Promise<Check[]> {
    const missing = await readCallbackUrls(ctx);
    return wanted(ctx).map(({ key, workflow }) => ({
      id: `azure.callbackUrl.${key}`,
      title: `Callback URL of ${workflow}`,
      status: missing.includes(key) ? "fail" : "pass",
      evidence: missing.includes(key) ? "workflow not found" : describeUrl(ctx.shared.callbackUrls[key] ?? ""),
    }));
  },
};

/**
 * Sentinel authorization. Managed identity: the deployment made the role assignments; Azure takes minutes to
 * make them effective, so we probe through the workflows themselves (a read of an incident that cannot exist
 * answers 404 once the role works, 502 with Azure's 403 before) and wait while they propagate. OAuth: the
 * azuresentinel connection deploys unauthorised (Azure/Azure-Sentinel#671); show the consent link and the
 * portal path, then poll until it is Connected — or, without a person, fail with the link (exit 4).
 */
import { workspaceResourceId } from "../../azure/arm.js";
import { roles } from "../../names.js";
import type { Change, Check, Step, StepContext } from "../../engine/types.js";
import { AuthError } from "../../errors.js";
import { startWait } from "../../io/wait-progress.js";
import { CALLBACK_URLS_ID, readCallbackUrls } from "./callback-urls.js";
import { factsOf } from "./facts.js";
import { connectionStatus, waitForConsent } from "./oauth-consent.js";
import {
  classifyProbe,
  type Probe,
  TRANSIENT_RETRIES,
  TRANSIENT_WAIT_MS,
  transientProbeError,
} from "./probe-outcome.js";

export const SENTINEL_AUTH_ID = "azure-sentinel-authorization";

/** An incident id no case can have (the nil GUID). */
const PROBE_ID = "00000000-0000-0000-0000-000000000000";
const PROPAGATION_LIMIT_MS = 15 * 60_000;
const PROBE_INTERVAL_MS = 20_000;
/** Role assignments take minutes to become effective (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting). */
const PROPAGATION_USUAL = "a few minutes";

/** One probe of the identity's access through the workflow (404 from our workflow = the read was allowed). */
export async function probeIdentity(ctx: StepContext, which: "caseGet" | "caseSync"): Promise<Probe> {
  const az = await ctx.clients.azure();
  const url = ctx.shared.callbackUrls[which];
  if (!url) return { ok: false, status: 0, message: "callback URL not read" };
  const res =
    which === "caseGet"
      ? await az.logicApps.call<{ error?: { message?: string } }>("GET", url, undefined, {
          sentinel_incident_id: PROBE_ID,
        })
      : await az.logicApps.call<{ error?: { message?: string } }>("POST", url, {
          action: "add-comment-to-incident",
          sentinel_incident_id: PROBE_ID,
          case_comment: "sentinel-elastic permission probe",
        });
  if (res.status === 404) return { ok: true };
  return { ok: false, status: res.status, message: res.body?.error?.message ?? `HTTP ${res.status}` };
}

/** Whether case-sync holds Responder and case-get Reader on the workspace (assigned; maybe not yet effective). */
async function identitiesHoldRoles(ctx: StepContext): Promise<boolean> {
  const az = await ctx.clients.azure();
  const facts = factsOf(ctx);
  const n = ctx.names.azure;
  const scope = workspaceResourceId(az.subscriptionId, facts.workspaceResourceGroup, facts.workspaceName);
  for (const [wfName, role] of [
    [n.caseSync, roles.sentinelResponder],
    [n.caseGet, roles.sentinelReader],
  ] as const) {
    const wf = await az.arm.workflow(facts.logicAppsResourceGroup, wfName);
    const principalId = wf?.identity?.principalId;
    if (!principalId) return false;
    const assignments = await az.arm.roleAssignments(scope, principalId);
    if (!assignments.some((a) => a.properties.roleDefinitionId.toLowerCase().endsWith(role))) return false;
  }
  return true;
}

async function confirmManagedIdentity(ctx: StepContext): Promise<void> {
  if (!ctx.shared.callbackUrls.caseGet || !ctx.shared.callbackUrls.caseSync) await readCallbackUrls(ctx);
  const n = ctx.names.azure;
  const progress = ctx.io.progress("Waiting for the Logic Apps' Sentinel roles to take effect…");
  const started = ctx.now();
  for (const which of ["caseGet", "caseSync"] as const) {
    const wait = startWait(
      { io: ctx.io, now: ctx.now },
      {
        what: `${which === "caseGet" ? `"Microsoft Sentinel Reader" of ${n.caseGet}` : `"Microsoft Sentinel Responder" of ${n.caseSync}`} to take effect`,
        usual: PROPAGATION_USUAL,
        boundMs: PROPAGATION_LIMIT_MS,
        boundBy: "our limit for role propagation",
      },
      progress,
    );
    let transientLeft = TRANSIENT_RETRIES;
    for (;;) {
      const probe = await probeIdentity(ctx, which);
      const outcome = classifyProbe(probe);
      if (outcome === "ok") break;
      const waited = ctx.now() - started;
      // A 429/5xx behind the workflow says nothing about the role: probe again soon, a bounded number of times.
      if (outcome === "transient") {
        if (transientLeft-- <= 0) {
          progress.fail();
          throw transientProbeError(
            `checking the Sentinel role of ${which === "caseGet" ? n.caseGet : n.caseSync}`,
            probe,
          );
        }
        await ctx.sleep(TRANSIENT_WAIT_MS);
        continue;
      }
      const propagating = outcome === "propagating";
      if (!propagating || waited >= PROPAGATION_LIMIT_MS) {
        progress.fail();
        const role = which === "caseGet" ? "Microsoft Sentinel Reader" : "Microsoft Sentinel Responder";
        const wf = which === "caseGet" ? n.caseGet : n.caseSync;
        throw new AuthError(
          `the managed identity of ${wf} cannot use Sentinel${propagating ? ` after ${Math.round(waited / 60_000)} minutes` : ""}: ${probe.ok ? "" : probe.message}`,
          {
            code: "SENTINEL_IDENTITY_NOT_AUTHORIZED",
            suggestion: `Check that ${wf}'s identity holds "${role}" on workspace ${factsOf(ctx).workspaceName} (portal: workspace → Access control (IAM) → Role assignments), then run setup again.`,
          },
        );
      }
      wait.tick();
      await ctx.sleep(PROBE_INTERVAL_MS);
    }
  }
  progress.succeed("The Logic Apps' managed identities can use Sentinel.");
}

export const azureSentinelAuthorization: Step = {
  id: SENTINEL_AUTH_ID,
  title: "Sentinel authorization of the case-sync Logic Apps",
  target: "azure",
  after: [CALLBACK_URLS_ID],
  enabled: (c) => c.features.caseSync,
  async plan(ctx) {
    const n = ctx.names.azure;
    const base = { step: SENTINEL_AUTH_ID, target: "azure" as const };
    const facts = factsOf(ctx);
    // Defender mode: no Sentinel incident writes; the Graph app roles step authorises the workflows.
    if (facts.portal === "defender") return [];
    if (ctx.config.sentinel.authorization === "managed-identity") {
      const assigned = facts.logicAppsResourceGroupExists && (await identitiesHoldRoles(ctx));
      return [
        {
          ...base,
          resource: "Sentinel authorization (managed identity)",
          name: `${n.caseSync}, ${n.caseGet}`,
          // Not a resource of its own: "create" makes the engine run apply, which waits for propagation.
          action: assigned ? "no-op" : "create",
          reason: assigned
            ? "the identities hold Sentinel Responder / Reader on the workspace"
            : "role assignments come with the deployment; wait until they are effective",
        },
      ];
    }
    const status = facts.logicAppsResourceGroupExists
      ? await connectionStatus(ctx, facts.logicAppsResourceGroup)
      : undefined;
    const change: Change = {
      ...base,
      resource: "Sentinel authorization (OAuth consent)",
      name: n.connection,
      action: status === "Connected" ? "no-op" : status === undefined ? "create" : "update",
      reason:
        status === "Connected"
          ? "the connection is authorised"
          : status === undefined
            ? "a person authorises the new connection once (link shown after deploy)"
            : `the connection is ${status}: a person must authorise it (link shown)`,
    };
    return [change];
  },
  async apply(ctx) {
    if (ctx.config.sentinel.authorization === "managed-identity") return confirmManagedIdentity(ctx);
    await waitForConsent(ctx);
  },
  async verify(ctx): Promise<Check[]> {
    if (factsOf(ctx).portal === "defender") return [];
    if (ctx.config.sentinel.authorization === "oauth") {
      const status = await connectionStatus(ctx, factsOf(ctx).logicAppsResourceGroup);
      return [
        {
          id: "azure.sentinelAuthorization",
          title: "azuresentinel connection authorised",
          status: status === "Connected" ? "pass" : "fail",
          evidence: status ?? "not found",
          ...(status === "Connected" ? {} : { remedy: "Run setup interactively and follow the consent link." }),
        },
      ];
    }
    if (!ctx.shared.callbackUrls.caseGet) await readCallbackUrls(ctx);
    const probe = await probeIdentity(ctx, "caseGet");
    // Thrown, not a failed check: the engine retries a transient failure once and never reports it as the role.
    if (classifyProbe(probe) === "transient")
      throw transientProbeError("checking the Sentinel role of the case-get Logic App", probe);
    return [
      {
        id: "azure.sentinelAuthorization",
        title: "case-get identity can read Sentinel incidents",
        status: probe.ok ? "pass" : "fail",
        evidence: probe.ok ? "probe read answered 404 (allowed)" : probe.message,
        ...(probe.ok ? {} : { remedy: "Wait a few minutes for role propagation, then run verify again." }),
      },
    ];
  },
};

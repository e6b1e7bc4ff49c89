/**
 * Ingestion authorization: the alert-ingest Logic App sends rows with its managed identity, which needs
 * Monitoring Metrics Publisher on the data collection rule. Azure takes minutes to make a new assignment
 * effective (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting), and alerts sent before that are refused (403). So after the deployment we
 * send a probe row through the workflow — the DCR's transform drops it, so nothing reaches the table or
 * Sentinel — and wait until the Logs Ingestion API accepts it.
 */
import { roles } from "../../names.js";
import type { Check, Step, StepContext } from "../../engine/types.js";
import { AuthError } from "../../errors.js";
import { startWait } from "../../io/wait-progress.js";
import { CALLBACK_URLS_ID, readCallbackUrls } from "./callback-urls.js";
import { factsOf } from "./facts.js";
import {
  classifyProbe,
  type Probe,
  TRANSIENT_RETRIES,
  TRANSIENT_WAIT_MS,
  transientProbeError,
} from "./probe-outcome.js";

export const INGESTION_AUTH_ID = "azure-ingestion-authorization";
/** Must match the DCR transform's `where AlertId != "…"` (templates/azure/alert-forwarding.json). */
export const PROBE_ALERT_ID = "sentinel-elastic-probe";
const PROPAGATION_LIMIT_MS = 15 * 60_000;
const PROBE_INTERVAL_MS = 20_000;
/** Role assignments take minutes to become effective (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting). */
const PROPAGATION_USUAL = "a few minutes";

export async function probeIngestion(ctx: StepContext): Promise<Probe> {
  if (!ctx.shared.callbackUrls.alertIngest) await readCallbackUrls(ctx);
  const url = ctx.shared.callbackUrls.alertIngest;
  if (!url) return { ok: false, status: 0, message: "the alert-ingest workflow is not deployed" };
  const az = await ctx.clients.azure();
  const res = await az.logicApps.call<{ ingested?: number; error?: { message?: string } }>("POST", url, {
    source: "sentinel-elastic",
    kind: "per-alert",
    alert_id: PROBE_ALERT_ID,
    rule: { name: "sentinel-elastic setup probe" },
    alerts: [{ "@timestamp": new Date(ctx.now()).toISOString(), kibana: { alert: { uuid: PROBE_ALERT_ID } } }],
  });
  if (res.status === 200 && res.body?.ingested === 1) return { ok: true };
  return { ok: false, status: res.status, message: res.body?.error?.message ?? `HTTP ${res.status}` };
}

async function publisherAssigned(ctx: StepContext): Promise<boolean> {
  const facts = factsOf(ctx);
  if (!facts.logicAppsResourceGroupExists) return false;
  const az = await ctx.clients.azure();
  const n = ctx.names.azure;
  const wf = await az.arm.workflow(facts.logicAppsResourceGroup, n.alertIngest);
  const principalId = wf?.identity?.principalId;
  if (!principalId) return false;
  const scope = `/subscriptions/${az.subscriptionId}/resourceGroups/${facts.logicAppsResourceGroup}/providers/Microsoft.Insights/dataCollectionRules/${n.dataCollectionRule}`;
  const assignments = await az.arm.roleAssignments(scope, principalId);
  return assignments.some((a) =>
    a.properties.roleDefinitionId.toLowerCase().endsWith(roles.monitoringMetricsPublisher),
  );
}

export const azureIngestionAuthorization: Step = {
  id: INGESTION_AUTH_ID,
  title: "Logs Ingestion authorization of the alert-ingest Logic App",
  target: "azure",
  after: [CALLBACK_URLS_ID],
  enabled: (c) => c.features.alertForwarding,
  async plan(ctx) {
    const n = ctx.names.azure;
    const assigned = await publisherAssigned(ctx);
    return [
      {
        step: INGESTION_AUTH_ID,
        target: "azure",
        resource: "Ingestion authorization (managed identity)",
        name: n.alertIngest,
        // Not a resource of its own: "create" makes the engine run apply, which waits for propagation.
        action: assigned ? "no-op" : "create",
        reason: assigned
          ? "the identity holds Monitoring Metrics Publisher on the data collection rule"
          : "the role assignment comes with the deployment; wait until it is effective",
      },
    ];
  },
  async apply(ctx) {
    const progress = ctx.io.progress("Waiting for the alert-ingest Logic App to be allowed to send rows…");
    const started = ctx.now();
    const n = ctx.names.azure;
    const wait = startWait(
      { io: ctx.io, now: ctx.now },
      {
        what: `"Monitoring Metrics Publisher" of ${n.alertIngest} on ${n.dataCollectionRule} to take effect`,
        usual: PROPAGATION_USUAL,
        boundMs: PROPAGATION_LIMIT_MS,
        boundBy: "our limit for role propagation",
      },
      progress,
    );
    let transientLeft = TRANSIENT_RETRIES;
    for (;;) {
      // Safe to repeat: the probe row is dropped by the DCR transform, however often it is sent.
      const probe = await probeIngestion(ctx);
      const outcome = classifyProbe(probe);
      if (outcome === "ok") break;
      const waited = ctx.now() - started;
      // A 429/5xx from the Logs Ingestion API says nothing about the role: send again soon, a bounded number of times.
      if (outcome === "transient") {
        if (transientLeft-- <= 0) {
          progress.fail();
          throw transientProbeError("sending the probe row through the alert-ingest Logic App", probe);
        }
        await ctx.sleep(TRANSIENT_WAIT_MS);
        continue;
      }
      const propagating = outcome === "propagating";
      if (!propagating || waited >= PROPAGATION_LIMIT_MS) {
        progress.fail();
        throw new AuthError(
          `the alert-ingest Logic App cannot send rows${propagating ? ` after ${Math.round(waited / 60_000)} minutes` : ""}: ${probe.ok ? "" : probe.message}`,
          {
            code: "INGESTION_IDENTITY_NOT_AUTHORIZED",
            suggestion: `Check that ${ctx.names.azure.alertIngest}'s identity holds "Monitoring Metrics Publisher" on ${ctx.names.azure.dataCollectionRule}, then run setup again.`,
          },
        );
      }
      wait.tick();
      await ctx.sleep(PROBE_INTERVAL_MS);
    }
    progress.succeed("The alert-ingest Logic App can send rows.");
  },
  async verify(ctx): Promise<Check[]> {
    const probe = await probeIngestion(ctx);
    // Thrown, not a failed check: the engine retries a transient failure once and never reports it as the role.
    if (classifyProbe(probe) === "transient")
      throw transientProbeError("sending the probe row through the alert-ingest Logic App", probe);
    return [
      {
        id: "azure.ingestionAuthorization",
        title: "alert-ingest identity can send rows (probe row, dropped by the DCR transform)",
        status: probe.ok ? "pass" : "fail",
        evidence: probe.ok ? "the Logs Ingestion API accepted the probe" : probe.message,
        ...(probe.ok ? {} : { remedy: "Wait a few minutes for role propagation, then run verify again." }),
      },
    ];
  },
};

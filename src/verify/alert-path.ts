/**
 * The alert path, hop by hop.
 * fast: a synthetic alert through the alert connector (`_execute`) → the alert-ingest workflow run → the row
 *       in the alerts table → the incident the analytics rule raised.
 * full: the test document → a Kibana alert from our rule → the row → the incident.
 */
import type { PathContext } from "./case-path.js";
import { HopFailure } from "./hop.js";
import type { WorkflowRunView } from "./probes.js";
import { waitFor } from "./wait.js";

/**
 * Usual durations, as a wait line says them. Logs Ingestion: "the average latency is between 20 seconds and 3
 * minutes" (https://learn.microsoft.com/azure/azure-monitor/logs/data-ingestion-time). NRT rules run once a
 * minute over what was ingested, with a built-in delay of 2 minutes
 * (https://learn.microsoft.com/azure/sentinel/near-real-time-rules); our Scheduled rule runs every 5 minutes
 * (templates/azure/alert-forwarding.json, queryFrequency PT5M).
 */
const INGESTION_USUAL = "20 s–3 min";
const NRT_USUAL = "1–3 min after the row";
const SCHEDULED_USUAL = "up to 5 min after the row (the rule runs every 5 min)";

/** Quote a string for KQL (single quotes; backslash and quote escaped). */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The body our rule action sends (docs/contracts.md), carrying one synthetic alert. */
export function syntheticAlertBody(
  p: Pick<PathContext, "config" | "names" | "marker">,
  kibanaUrl: string,
  space: string,
): string {
  const now = new Date().toISOString();
  const ruleName = `sentinel-elastic verify ${p.marker}`;
  return JSON.stringify({
    source: "sentinel-elastic",
    kind: "summary",
    kibana_url: kibanaUrl,
    space,
    rule: {
      id: "verify",
      rule_id: p.names.kibana.verifyRuleId,
      name: ruleName,
      severity: "high",
      risk_score: "73",
    },
    alerts: [
      {
        _id: p.marker,
        "@timestamp": now,
        message: `sentinel-elastic verify synthetic alert ${p.marker}`,
        host: { name: "sentinel-elastic-verify-host" },
        user: { name: "sentinel-elastic-verify" },
        source: { ip: "192.0.2.10" },
        destination: { ip: "198.51.100.20" },
        kibana: {
          alert: {
            uuid: p.marker,
            severity: "high",
            risk_score: 73,
            reason: `synthetic alert from sentinel-elastic verify (${p.marker})`,
            rule: { name: ruleName, rule_id: p.names.kibana.verifyRuleId, uuid: "verify" },
          },
        },
      },
    ],
  });
}

/**
 * The incidents whose alerts carry the Elastic alert `alertId`, by the evidence an analyst would query: the
 * analytics rule maps `AlertId` to the custom detail `ElasticAlertId`, which Sentinel writes into the alert's
 * `ExtendedProperties` ("Custom Details") in SecurityAlert; SecurityIncident lists each incident's `AlertIds`
 * (https://learn.microsoft.com/azure/azure-monitor/reference/tables/securityalert,
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/securityincident).
 */
async function incidentsOfAlert(p: PathContext, alertId: string, since: string): Promise<Set<string>> {
  const window = `where TimeGenerated >= datetime(${since})`;
  const alerts = await p.probes.queryRows(
    `SecurityAlert | ${window} | where ExtendedProperties has ${kqlString(alertId)} | distinct SystemAlertId`,
  );
  const names = new Set<string>();
  for (const a of alerts) {
    const systemAlertId = typeof a.SystemAlertId === "string" ? a.SystemAlertId : "";
    if (!systemAlertId) continue;
    const incidents = await p.probes.queryRows(
      `SecurityIncident | ${window} | where tostring(AlertIds) has ${kqlString(systemAlertId)} | distinct IncidentName`,
    );
    for (const i of incidents) if (typeof i.IncidentName === "string") names.add(i.IncidentName);
  }
  return names;
}

async function followAlert(p: PathContext, alertId: string, since: string, idPrefix: string) {
  const { runner, probes, config } = p;
  const table = config.alerts.table;
  await runner.hop(`${idPrefix}.row`, `Log Analytics: the alert's row in ${table}`, async () => {
    const r = await waitFor(
      async () => {
        const rows = await probes.queryRows(`${table} | where AlertId == ${kqlString(alertId)} | take 1`);
        return rows[0];
      },
      p.clock,
      { deadline: p.deadline, show: { what: `the alert's row in ${table}`, usual: INGESTION_USUAL } },
    );
    if (!r.ok)
      throw new HopFailure(
        `no row with AlertId ${alertId} in ${table} before the timeout`,
        "Ingestion into Log Analytics can take several minutes; re-run with a longer --timeout. If it never arrives, check the data collection rule and the workflow identity's Monitoring Metrics Publisher role.",
      );
    return { evidence: `row AlertId=${alertId}`, value: r.value };
  });
  if (p.defender) return followAlertDefender(p, alertId, since, idPrefix);
  await runner.hop(`${idPrefix}.incident`, "Sentinel: an incident raised by the analytics rule", async () => {
    // The incident is ours only when one of its alerts carries our Elastic alert id: the title names the rule,
    // which every run shares, so a title match could accept an earlier run's incident.
    const r = await waitFor(
      async () => {
        const listed = await probes.incidentsSince(since);
        if (listed.length === 0) return undefined;
        const names = await incidentsOfAlert(p, alertId, since);
        return listed.find((i) => names.has(i.id) || (i.description ?? "").includes(alertId));
      },
      p.clock,
      {
        deadline: p.deadline,
        show: {
          what: `an incident from the ${config.rule.sentinelKind === "nrt" ? "NRT" : "Scheduled"} analytics rule`,
          usual: config.rule.sentinelKind === "nrt" ? NRT_USUAL : SCHEDULED_USUAL,
        },
      },
    );
    if (!r.ok)
      throw new HopFailure(
        `no incident for alert ${alertId} before the timeout`,
        config.rule.sentinelKind === "nrt"
          ? "The near-real-time rule runs every minute over newly ingested rows; check that it is enabled (`sentinel-elastic verify` configuration checks) and re-run with a longer --timeout."
          : "The scheduled rule runs on its own frequency; re-run with a --timeout longer than its query frequency.",
      );
    return { evidence: `incident ${r.value.id}${r.value.url ? ` ${r.value.url}` : ""}`, value: r.value };
  });
}

/**
 * Defender mode: the correlation engine, not the rule, decides grouping, so the alert may join an existing incident
 * (https://learn.microsoft.com/azure/sentinel/move-to-defender, "Alert grouping and incident merging"). The hop
 * finds the incident the alert belongs to now and says whether it is new or an existing one it was grouped into.
 */
async function followAlertDefender(p: PathContext, alertId: string, since: string, idPrefix: string) {
  const { defenderIncidentOfCase, defenderLink } = await import("./case-path-defender.js");
  await p.runner.hop(
    `${idPrefix}.incident`,
    "Defender: an incident raised by the analytics rule (or grouped into one)",
    async () => {
      const r = await waitFor(async () => defenderIncidentOfCase(p, alertId), p.clock, {
        deadline: p.deadline,
        show: { what: "the alert's incident in the Defender queue", usual: NRT_USUAL },
      });
      if (!r.ok)
        throw new HopFailure(
          `no incident in the Defender queue holds alert ${alertId} before the timeout`,
          "The analytics rule runs every minute over newly ingested rows and Defender then correlates the alert; re-run with a longer --timeout.",
        );
      const grouped = r.value.createdTime !== undefined && r.value.createdTime < since;
      return {
        evidence: `${defenderLink(p, r.value.id)}${grouped ? ` (grouped by Defender into existing incident ${r.value.id}, created ${r.value.createdTime})` : " (new)"}`,
        value: r.value,
      };
    },
  );
}

function runFailure(run: WorkflowRunView): HopFailure {
  const a = run.failedAction;
  return new HopFailure(
    a
      ? `the workflow run failed at action ${a.name}: ${a.message ?? a.code ?? "no message"}`
      : `the workflow run ended ${run.status}: ${run.error?.message ?? ""}`,
    "A 403 from the Logs Ingestion API usually means the Monitoring Metrics Publisher role is missing or still propagating; 5xx answers mean the ingestion endpoint is failing (the run retried first). Re-run `sentinel-elastic setup`, then `sentinel-elastic verify`.",
    `run ${run.id}`,
  );
}

/** Record the remaining hops of the fast path as skipped. */
function skipRest(p: PathContext): void {
  p.runner.skip(
    "alerts.row",
    `Log Analytics: the alert's row in ${p.config.alerts.table}`,
    "an earlier hop of this path failed",
  );
  p.runner.skip(
    "alerts.incident",
    "Sentinel: an incident raised by the analytics rule",
    "an earlier hop of this path failed",
  );
}

export async function runAlertPathFast(p: PathContext, kibanaUrl: string, space: string): Promise<void> {
  const { runner, probes } = p;
  const since = new Date(p.clock.now() - 5_000).toISOString();
  const workflow = p.names.azure.alertIngest;
  const body = syntheticAlertBody(p, kibanaUrl, space);
  await runner.hop("alerts.execute", "Kibana: send a synthetic alert through the alert connector", async () => {
    await probes.executeAlertConnector(body);
    return { evidence: `alert ${p.marker}`, value: true };
  });
  if (runner.failed) {
    // The connector call failed; if it reached the workflow, its run says why (the failing action and Azure's
    // message), which is the useful part. One look, no waiting: a call that never arrived leaves no run.
    const run = await probes.latestWorkflowRun(workflow, since).catch(() => undefined);
    if (
      run &&
      (run.failedAction || run.status === "Failed" || run.status === "TimedOut" || run.status === "Cancelled")
    ) {
      await runner.hop(
        "alerts.workflow",
        `Logic App: ${workflow} run succeeded`,
        async (): Promise<{ evidence: string; value: true }> => {
          throw runFailure(run);
        },
        { always: true },
      );
      skipRest(p);
      return;
    }
  }
  await runner.hop("alerts.workflow", `Logic App: ${workflow} run succeeded`, async () => {
    const r = await waitFor(
      async () => {
        const run = await probes.latestWorkflowRun(workflow, since);
        return run && run.status !== "Running" && run.status !== "Waiting" ? run : undefined;
      },
      p.clock,
      { deadline: p.deadline, show: { what: `a finished run of ${workflow}`, usual: "under 30 s" } },
    );
    if (!r.ok)
      throw new HopFailure(`no finished run of ${workflow} since ${since}`, "Check that the workflow is enabled.");
    if (r.value.status !== "Succeeded" || r.value.failedAction) throw runFailure(r.value);
    return { evidence: `run ${r.value.id} ${r.value.status}`, value: r.value };
  });
  await followAlert(p, p.marker, since, "alerts");
}

export async function runAlertPathFull(p: PathContext): Promise<void> {
  const { runner, probes } = p;
  const since = new Date(p.clock.now() - 5_000).toISOString();
  await runner.hop("full.document", "Elasticsearch: index the test document", async () => {
    const r = await probes.indexTestDocument(p.marker);
    return { evidence: `document ${p.marker} in ${r.index}`, value: true };
  });
  const alert = await runner.hop("full.kibana-alert", "Kibana: our rule raised an alert for the document", async () => {
    const r = await waitFor(() => probes.findKibanaAlert(p.marker), p.clock, {
      deadline: p.deadline,
      show: {
        what: "our detection rule to raise an alert for the test document",
        usual: `up to ${p.config.rule.interval} (its interval)`,
      },
    });
    if (!r.ok) {
      const s = await probes.ruleStatus();
      throw new HopFailure(
        !s.enabled
          ? "the detection rule is disabled"
          : `the rule has not raised an alert for the test document (last run ${s.lastRun ?? "never"}: ${s.lastStatus ?? "unknown"}${s.lastMessage ? `, ${s.lastMessage}` : ""})`,
        !s.enabled
          ? "Enable the rule, or re-run `sentinel-elastic setup`."
          : `The rule runs every ${s.interval}; re-run with a --timeout longer than that.`,
      );
    }
    return { evidence: `alert ${r.value.alertId}`, value: r.value };
  });
  await followAlert(p, alert?.alertId ?? "", since, "full");
}

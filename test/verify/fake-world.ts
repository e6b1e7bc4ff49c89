/**
 * An in-memory stand-in for Kibana + the case-sync/alert-ingest Logic Apps + Sentinel + Log Analytics, shaped
 * like VerifyProbes. Each behaviour can be broken on purpose to show verify naming the broken hop.
 */
import type { IncidentView, VerifyProbes, WorkflowRunView } from "../../src/verify/probes.js";

export interface Breaks {
  push?: boolean;
  severityMapping?: boolean;
  noLabel?: boolean;
  comments?: boolean;
  statusSync?: boolean;
  connectorError?: boolean;
  workflowFails?: boolean;
  ingestion?: boolean;
  nrt?: boolean;
  ruleDisabled?: boolean;
  /** Not a break: Kibana's closure type close-by-pushing (a push closes the case; a closed case cannot be pushed). */
  closeByPushing?: boolean;
}

/**
 * `clock` is the run's clock (the test's virtual time): the world stamps incidents, runs and rule runs with it, as
 * the real services stamp theirs with the time the run reads, so the world and verify's `since` windows agree.
 */
export function createFakeWorld(breaks: Breaks, kibanaCaseUrlBase: string, clock: { now(): number }) {
  const cases = new Map<string, { title: string; status: string; severity: string; comments: string[] }>();
  const incidents = new Map<string, IncidentView & { comments: string[] }>();
  /** Incident name → the Elastic alert id its (one) Sentinel alert carries. */
  const incidentAlerts = new Map<string, string>();
  const rows: Record<string, unknown>[] = [];
  const runs: WorkflowRunView[] = [];
  const deleted: string[] = [];
  let seq = 0;
  const now = () => new Date(clock.now()).toISOString();
  const sev: Record<string, string> = { low: "Low", medium: "Medium", high: "High", critical: "High" };
  const status: Record<string, string> = { open: "New", "in-progress": "Active", closed: "Closed" };

  const upsert = (caseId: string, c: { title: string; status: string; severity: string }) => {
    const existing = incidents.get(caseId);
    const next: IncidentView & { comments: string[] } = {
      id: caseId,
      title: c.title,
      severity: breaks.severityMapping ? "Informational" : sev[c.severity]!,
      status: breaks.statusSync && existing ? existing.status : status[c.status]!,
      description: `${kibanaCaseUrlBase}${caseId}\n\n`,
      labels: breaks.noLabel ? [] : ["elastic-case"],
      classification: c.status === "closed" ? "Undetermined" : undefined,
      createdTimeUtc: existing?.createdTimeUtc ?? now(),
      relatedAnalyticRuleIds: [],
      comments: existing?.comments ?? [],
    };
    incidents.set(caseId, next);
  };

  const probes: VerifyProbes = {
    async createCase(input) {
      const id = `case-${++seq}`;
      cases.set(id, { title: input.title, status: "open", severity: input.severity, comments: [] });
      return { id };
    },
    async pushCase(caseId) {
      const c = cases.get(caseId)!;
      if (breaks.push)
        throw Object.assign(new Error("connector failed: 401 from the Logic App"), { suggestion: "re-run setup" });
      if (breaks.closeByPushing && c.status === "closed")
        throw new Error(`The ${c.title} case is closed. Pushing a closed case is not allowed.`);
      upsert(caseId, c);
      if (!breaks.comments) incidents.get(caseId)!.comments.push(...c.comments.splice(0));
      if (breaks.closeByPushing) c.status = "closed";
      return { externalId: caseId, caseStatus: c.status };
    },
    async commentCase(caseId, text) {
      cases.get(caseId)!.comments.push(text);
    },
    async setCaseStatus(caseId, s) {
      cases.get(caseId)!.status = s;
    },
    async deleteCase(caseId) {
      cases.delete(caseId);
      deleted.push(caseId);
    },
    async pushClosedViaConnector(input) {
      upsert(input.externalId, { title: input.title, severity: input.severity, status: "closed" });
    },
    async executeAlertConnector(body) {
      if (breaks.connectorError) throw new Error("the alert connector failed: ECONNREFUSED");
      const parsed = JSON.parse(body) as { rule: { name: string }; alerts: { kibana: { alert: { uuid: string } } }[] };
      const id = `run-${++seq}`;
      if (breaks.workflowFails) {
        runs.push({
          id,
          status: "Failed",
          startTime: now(),
          failedAction: { name: "Send_to_Logs_Ingestion", code: "Forbidden", message: "403 AuthorizationFailed" },
        });
        return;
      }
      runs.push({ id, status: "Succeeded", startTime: now() });
      if (breaks.ingestion) return;
      for (const a of parsed.alerts) {
        rows.push({ AlertId: a.kibana.alert.uuid, RuleName: parsed.rule.name });
        if (!breaks.nrt) incidentAlerts.set(`inc-${seq + 1}`, a.kibana.alert.uuid);
        if (!breaks.nrt)
          incidents.set(`inc-${++seq}`, {
            id: `inc-${seq}`,
            title: `Elastic Security alert: ${parsed.rule.name}`,
            severity: "High",
            status: "New",
            labels: [],
            createdTimeUtc: now(),
            relatedAnalyticRuleIds: ["rule"],
            comments: [],
          });
      }
    },
    async indexTestDocument(marker) {
      if (!breaks.ruleDisabled) {
        const uuid = `alert-${marker}`;
        await probes.executeAlertConnector(
          JSON.stringify({ rule: { name: "elastic-sentinel forward" }, alerts: [{ kibana: { alert: { uuid } } }] }),
        );
      }
      return { index: "logs-sentinel_elastic.test-default" };
    },
    async findKibanaAlert(marker) {
      return breaks.ruleDisabled ? undefined : { alertId: `alert-${marker}`, ruleName: "elastic-sentinel forward" };
    },
    async ruleStatus() {
      return { enabled: !breaks.ruleDisabled, interval: "5m", lastRun: now(), lastStatus: "succeeded" };
    },
    async getIncident(id) {
      const i = incidents.get(id);
      return i ? { ...i } : undefined;
    },
    async incidentComments(id) {
      return incidents.get(id)?.comments ?? [];
    },
    async incidentsSince(since) {
      return [...incidents.values()].filter((i) => (i.createdTimeUtc ?? "") >= since);
    },
    async latestWorkflowRun(_wf, since) {
      return runs.filter((r) => (r.startTime ?? "") >= since).at(-1);
    },
    async queryRows(kql) {
      // The alert path's two evidence queries: the Sentinel alert carrying our Elastic alert id, then its incident.
      if (kql.startsWith("SecurityAlert")) {
        const id = /has '([^']+)'/.exec(kql)?.[1];
        return [...incidentAlerts.entries()]
          .filter(([, a]) => a === id)
          .map(([, a]) => ({ SystemAlertId: `sys-${a}` }));
      }
      if (kql.startsWith("SecurityIncident")) {
        const sys = /has 'sys-([^']+)'/.exec(kql)?.[1];
        return [...incidentAlerts.entries()].filter(([, a]) => a === sys).map(([name]) => ({ IncidentName: name }));
      }
      const m = /AlertId == '([^']+)'/.exec(kql);
      return rows.filter((r) => r.AlertId === m?.[1]);
    },
  };
  return { probes, cases, incidents, rows, deleted };
}

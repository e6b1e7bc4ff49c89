/**
 * Sentinel's analytics-rule scheduler over the sandbox clock.
 *
 * - NRT rules run once a simulated minute over the rows *ingested* since their previous run; each result row is
 *   an alert, up to 30 per run: with more than 30 results, 29 single-row alerts and a 30th that summarises
 *   (learn.microsoft.com/azure/sentinel/near-real-time-rules). Azure's 2-minute built-in ingestion delay is not
 *   modelled: the sandbox's ingestion latency plays that part.
 * - Scheduled rules run every `queryFrequency` over rows whose TimeGenerated falls in the last `queryPeriod`;
 *   they alert when the result count passes `triggerOperator`/`triggerThreshold`, one alert per result for
 *   `eventGroupingSettings.aggregationKind: AlertPerResult` (at most 150), else one alert for the run.
 * - With `incidentConfiguration.createIncident`, each alert becomes an incident (grouping enabled: one incident
 *   for the run's alerts [I]). Alerts and incidents are written to the SecurityAlert/SecurityIncident tables.
 * - `suppressionEnabled` stops a rule from running for `suppressionDuration` after it alerted.
 */
import type { ClockTimer } from "../../common/clock.js";
import { alertFromRow, securityAlertRow, summaryAlert } from "./alerts.js";
import type { AlertRuleView, DataPlaneHost, SentinelAlert, WorkspaceView } from "./host.js";
import { KqlError, type KqlRow, runKql } from "./kql/index.js";
import { ingestionTimeOf, type RowStore, type StoredRow } from "./row-store.js";
import { workspaceTable } from "./tables.js";
import { parseIsoDuration } from "./timespan.js";

const MINUTE = 60_000;
const NRT_MAX_ALERTS = 30;
const SCHEDULED_MAX_ALERTS = 150;

interface RuleState {
  /** NRT: rows with a store `seq` above this are new (undefined before the first run). */
  cursor?: number;
  /** NRT, first run only: rows that landed at or after this time also count. */
  since: number;
  lastRun?: number;
  /** Scheduled: sandbox time of the next run (a compressed `queryFrequency` in scaled mode). */
  nextRun?: number;
  suppressedUntil?: number;
  lastError?: string;
}

export interface AnalyticsEngine {
  start(): void;
  stop(): void;
  /** Run every enabled rule that is due now. */
  runDue(): Promise<void>;
  /** Last query error per rule id (a rule whose query fails produces no alerts, as in Sentinel's health log). */
  errors(): Record<string, string>;
}

export function createAnalyticsEngine(host: DataPlaneHost, rows: RowStore): AnalyticsEngine {
  const states = new Map<string, RuleState>();
  let timer: ClockTimer | undefined;

  const stateOf = (rule: AlertRuleView, now: number): RuleState => {
    const key = rule.id.toLowerCase();
    let s = states.get(key);
    if (!s) {
      // A rule first seen now also takes the rows that landed in the minute before its first run.
      s = { since: now - MINUTE };
      states.set(key, s);
    }
    return s;
  };

  async function runRule(ws: WorkspaceView, rule: AlertRuleView, now: number): Promise<void> {
    const p = rule.properties as Record<string, any>;
    if (p.enabled !== true) return;
    const kind = rule.kind.toLowerCase();
    if (kind !== "nrt" && kind !== "scheduled") return;
    const s = stateOf(rule, now);
    const seq = rows.lastSeq();
    if (s.suppressedUntil !== undefined && now < s.suppressedUntil) {
      if (kind === "nrt") s.cursor = seq;
      return;
    }
    let filter: (row: StoredRow) => boolean;
    if (kind === "nrt") {
      const { cursor, since } = s;
      filter = (r) => r.seq <= seq && (cursor === undefined ? r.ingestedAt >= since : r.seq > cursor);
    } else {
      const freq = parseIsoDuration(String(p.queryFrequency ?? "")) ?? 5 * MINUTE;
      // The scheduler ticks once a modelled minute: half a tick of slack keeps a 5-minute rule on its 5th tick.
      if (s.nextRun !== undefined && now < s.nextRun - host.clock.real(MINUTE) / 2) return;
      s.nextRun = host.clock.due(freq);
      // The look-back is measured on real timestamps: the window is not compressed.
      const period = parseIsoDuration(String(p.queryPeriod ?? "")) ?? freq;
      filter = (r) => {
        const t = r.values.TimeGenerated;
        return t instanceof Date && t.getTime() > now - period && t.getTime() <= now;
      };
    }
    s.lastRun = now;
    s.cursor = seq;
    let result: KqlRow[];
    try {
      result = runKql(String(p.query ?? ""), {
        now,
        ingestionTime: ingestionTimeOf,
        table: (n) => workspaceTable(host, rows, ws, n, filter),
      }).rows;
      s.lastError = undefined;
    } catch (e) {
      if (!(e instanceof KqlError)) throw e;
      s.lastError = e.message;
      return;
    }
    const alerts = kind === "nrt" ? nrtAlerts(rule, result, now) : scheduledAlerts(rule, p, result, now);
    if (alerts.length === 0) return;
    if (p.suppressionEnabled === true) {
      const d = parseIsoDuration(String(p.suppressionDuration ?? ""));
      if (d) s.suppressedUntil = host.clock.due(d);
    }
    await emit(ws, rule, p, alerts, now);
  }

  async function emit(
    ws: WorkspaceView,
    rule: AlertRuleView,
    p: Record<string, any>,
    alerts: SentinelAlert[],
    now: number,
  ): Promise<void> {
    const tenant = ws.properties.customerId ?? "";
    rows.append(
      ws.id,
      "SecurityAlert",
      alerts.map((a) => securityAlertRow(a, tenant, now)),
      now,
    );
    for (const a of alerts) host.recordAlert?.(ws.id, a);
    if (p.incidentConfiguration?.createIncident !== true) return;
    const grouped = p.incidentConfiguration?.groupingConfiguration?.enabled === true;
    const batches = grouped ? [alerts] : alerts.map((a) => [a]);
    for (const batch of batches) {
      const first = batch[0]!;
      const incident = await host.createIncident(ws.id, {
        title: first.alertDisplayName,
        description: first.description,
        severity: first.severity,
        status: "New",
        relatedAnalyticRuleIds: [rule.id],
        alerts: batch,
      });
      // A host that lists its incidents feeds SecurityIncident itself (tables.ts); otherwise record the row here.
      if (host.listIncidents) continue;
      rows.append(
        ws.id,
        "SecurityIncident",
        [
          {
            TenantId: tenant,
            TimeGenerated: new Date(now),
            IncidentName: incident.name,
            Title: first.alertDisplayName,
            Description: first.description,
            Severity: first.severity,
            Status: "New",
            IncidentNumber: incident.incidentNumber ?? null,
            IncidentUrl: "",
            ProviderName: "Azure Sentinel",
            AlertIds: batch.map((a) => a.systemAlertId),
            RelatedAnalyticRuleIds: [rule.id.split("/").pop()],
            CreatedTime: new Date(now),
            Type: "SecurityIncident",
          },
        ],
        now,
      );
    }
  }

  return {
    start() {
      timer ??= host.clock.every(MINUTE, () => this.runDue());
    },
    stop() {
      timer?.cancel();
      timer = undefined;
    },
    async runDue() {
      const now = host.clock.now();
      for (const ws of host.listSentinelWorkspaces())
        for (const rule of host.listAlertRules(ws.id)) {
          try {
            await runRule(ws, rule, now);
          } catch (e) {
            // One failing rule (e.g. Sentinel refusing an incident) must not stop the scheduler or the clock.
            const s = states.get(rule.id.toLowerCase());
            if (s) s.lastError = e instanceof Error ? e.message : String(e);
          }
        }
    },
    errors() {
      const out: Record<string, string> = {};
      for (const [id, s] of states) if (s.lastError) out[id] = s.lastError;
      return out;
    },
  };
}

function nrtAlerts(rule: AlertRuleView, result: KqlRow[], now: number): SentinelAlert[] {
  if (result.length <= NRT_MAX_ALERTS) return result.map((r) => alertFromRow(rule, r, now));
  const single = result.slice(0, NRT_MAX_ALERTS - 1).map((r) => alertFromRow(rule, r, now));
  return [...single, summaryAlert(rule, result.length - single.length, now, result[NRT_MAX_ALERTS - 1])];
}

function scheduledAlerts(rule: AlertRuleView, p: Record<string, any>, result: KqlRow[], now: number): SentinelAlert[] {
  const n = result.length;
  const t = Number(p.triggerThreshold ?? 0);
  const fire =
    p.triggerOperator === "LessThan"
      ? n < t
      : p.triggerOperator === "Equal"
        ? n === t
        : p.triggerOperator === "NotEqual"
          ? n !== t
          : n > t;
  if (!fire) return [];
  if (n > 0 && p.eventGroupingSettings?.aggregationKind === "AlertPerResult")
    return result.slice(0, SCHEDULED_MAX_ALERTS).map((r) => alertFromRow(rule, r, now));
  // SingleAlert (the default): one alert for the run, its details taken from the first result row.
  return [alertFromRow(rule, result[0] ?? {}, now)];
}

/**
 * The Microsoft Defender portal's side of a Sentinel workspace onboarded to it: the unified incident queue.
 *
 * What it models (https://learn.microsoft.com/azure/sentinel/move-to-defender, "Understand how alerts are correlated
 * and incidents are merged", and https://learn.microsoft.com/azure/sentinel/automation/automation-in-defender):
 * - Only incidents raised by analytics rules enter the queue; incidents created through the Sentinel API, a playbook
 *   or by hand stay in Sentinel ("aren't synchronized to the Defender portal"). The analytics engine hands its
 *   incidents here (`raise`) instead of creating them in Sentinel itself.
 * - The Defender XDR engine, not the rule's grouping settings, decides grouping: an alert joins an open incident
 *   that already holds an alert of the same rule sharing an entity; otherwise it starts an incident. The rule used
 *   here is the sandbox's stand-in for Defender's proprietary correlation [I]. An incident that gathers alerts of
 *   different names is renamed ("existing incident names might be changed if the correlation is applied"); the
 *   "Multi-stage incident involving …" wording is Defender's visible convention [I].
 * - Closed (resolved) incidents are never reopened by new alerts: those make a new incident.
 * - Defender syncs each incident to Sentinel with the provider "Microsoft XDR", `providerIncidentId` (the Defender
 *   id) and `providerIncidentUrl` (the Defender link); `incidentUrl` stays the Azure portal's. Changes made within a
 *   few minutes reach Sentinel as one update carrying the latest state ("5-10 minute period": 5 here).
 * - `merge(from, into)`: what Defender's correlation does when it merges incidents: `from` becomes `redirected`
 *   with `redirectIncidentId`, its alerts move to `into` (Graph incident resource, `redirectIncidentId`).
 */
import { randomUUID } from "node:crypto";
import type { ClockTimer, SandboxClock } from "../../common/clock.js";
import type { IncidentDraft, SentinelAlert } from "../data/host.js";
import type { AzureState } from "../state.js";

export const XDR_PROVIDER = "Microsoft XDR";
/** Changes within this period reach Sentinel as one update. */
export const SENTINEL_SYNC_BATCH_MS = 5 * 60_000;

export type DefenderStatus = "active" | "inProgress" | "resolved" | "redirected";
export type DefenderSeverity = "informational" | "low" | "medium" | "high";

export interface DefenderComment {
  comment: string;
  createdByDisplayName: string;
  createdDateTime: string;
}

export interface DefenderIncident {
  id: string;
  tenantId: string;
  workspaceId: string;
  displayName: string;
  /** Graph keeps a description; the workspace's SecurityIncident table does not (no Description column). */
  description: string;
  severity: DefenderSeverity;
  status: DefenderStatus;
  classification: string;
  determination: string;
  customTags: string[];
  systemTags: string[];
  assignedTo: string | null;
  resolvingComment: string | null;
  comments: DefenderComment[];
  alerts: SentinelAlert[];
  createdDateTime: string;
  lastUpdateDateTime: string;
  lastModifiedBy: string;
  redirectIncidentId: string | null;
  /** The Sentinel incident Defender keeps in sync (ARM id). */
  sentinelIncidentId: string;
}

const SEVERITY: Record<IncidentDraft["severity"], DefenderSeverity> = {
  Informational: "informational",
  Low: "low",
  Medium: "medium",
  High: "high",
};
const SENTINEL_SEVERITY: Record<DefenderSeverity, IncidentDraft["severity"]> = {
  informational: "Informational",
  low: "Low",
  medium: "Medium",
  high: "High",
};
const SENTINEL_CLASSIFICATION: Record<string, string> = {
  truePositive: "TruePositive",
  falsePositive: "FalsePositive",
  informationalExpectedActivity: "BenignPositive",
  unknown: "Undetermined",
};
const RANK: Record<DefenderSeverity, number> = { informational: 0, low: 1, medium: 2, high: 3 };

const entityKeys = (a: SentinelAlert) => new Set(a.entities.map((e) => `${e.kind}:${JSON.stringify(e.properties)}`));
const shares = (a: SentinelAlert, b: SentinelAlert) => {
  const keys = entityKeys(b);
  return [...entityKeys(a)].some((k) => keys.has(k));
};

export class DefenderWorld {
  private readonly onboarded = new Set<string>();
  readonly incidents = new Map<string, DefenderIncident>();
  private counter = 0;
  private readonly pendingSync = new Map<string, ClockTimer>();

  constructor(
    private readonly state: AzureState,
    private readonly clock: SandboxClock,
    private readonly portal: () => string,
  ) {}

  onboard(workspaceId: string): void {
    this.onboarded.add(workspaceId.toLowerCase());
  }

  isOnboarded(workspaceId: string): boolean {
    return this.onboarded.has(workspaceId.toLowerCase());
  }

  /** The incident an id names now, following merges (`redirectIncidentId`). */
  resolve(id: string): DefenderIncident | undefined {
    let i = this.incidents.get(id);
    for (let hops = 0; i?.redirectIncidentId && hops < 10; hops++) i = this.incidents.get(i.redirectIncidentId);
    return i;
  }

  /** The Defender incident an alert (by its system alert id) belongs to now. */
  incidentOfAlert(systemAlertId: string): DefenderIncident | undefined {
    for (const i of this.incidents.values())
      if (i.status !== "redirected" && i.alerts.some((a) => a.systemAlertId === systemAlertId)) return i;
    return undefined;
  }

  webUrl(i: Pick<DefenderIncident, "id" | "tenantId">): string {
    return `${this.portal()}/incidents/${encodeURIComponent(i.id)}?tid=${i.tenantId}`;
  }

  /** An analytics rule's incident in an onboarded workspace; returns the Sentinel incident Defender syncs. */
  raise(workspaceId: string, draft: IncidentDraft): { id: string; name: string; incidentNumber?: number } {
    const touched = new Set<DefenderIncident>();
    for (const alert of draft.alerts) {
      const home = this.correlate(workspaceId, alert) ?? this.create(workspaceId, draft, alert);
      if (!home.alerts.includes(alert)) {
        home.alerts.push(alert);
        if (RANK[SEVERITY[alert.severity]] > RANK[home.severity]) home.severity = SEVERITY[alert.severity];
        const names = new Set(home.alerts.map((a) => a.alertDisplayName));
        if (names.size > 1) home.displayName = `Multi-stage incident involving ${home.alerts.length} alerts`;
        this.touch(home, "Microsoft XDR");
      }
      touched.add(home);
    }
    const first = [...touched][0]!;
    for (const i of touched) this.syncNow(i);
    const sentinel = this.state.getIncident(first.sentinelIncidentId)!.resource;
    return { id: sentinel.id, name: sentinel.name, incidentNumber: sentinel.properties.incidentNumber as number };
  }

  private correlate(workspaceId: string, alert: SentinelAlert): DefenderIncident | undefined {
    for (const i of this.incidents.values()) {
      if (i.workspaceId.toLowerCase() !== workspaceId.toLowerCase()) continue;
      // Closed incidents are not reopened: new alerts make new incidents.
      if (i.status === "resolved" || i.status === "redirected") continue;
      if (i.alerts.some((a) => a.analyticRuleId === alert.analyticRuleId && shares(a, alert))) return i;
    }
    return undefined;
  }

  private create(workspaceId: string, draft: IncidentDraft, alert: SentinelAlert): DefenderIncident {
    const now = this.clock.date().toISOString();
    const ws = this.state.getResource(workspaceId);
    const id = String(++this.counter);
    const name = randomUUID();
    const incident: DefenderIncident = {
      id,
      tenantId: this.state.tenantId,
      workspaceId: ws?.id ?? workspaceId,
      displayName: alert.alertDisplayName,
      description: alert.description ?? draft.description ?? "",
      severity: SEVERITY[alert.severity],
      status: "active",
      classification: "unknown",
      determination: "unknown",
      customTags: (draft.labels ?? []).map((l) => l.labelName),
      systemTags: [],
      assignedTo: null,
      resolvingComment: null,
      comments: [],
      alerts: [],
      createdDateTime: now,
      lastUpdateDateTime: now,
      lastModifiedBy: XDR_PROVIDER,
      redirectIncidentId: null,
      sentinelIncidentId: this.state.incidentId(ws?.id ?? workspaceId, name),
    };
    this.incidents.set(id, incident);
    return incident;
  }

  touch(i: DefenderIncident, by: string): void {
    i.lastUpdateDateTime = this.clock.date().toISOString();
    i.lastModifiedBy = by;
  }

  /** A change made in Defender (Graph, an analyst): reaches Sentinel once per batch period, with the latest state. */
  changed(i: DefenderIncident): void {
    if (this.pendingSync.has(i.id)) return;
    const timer = this.clock.after(SENTINEL_SYNC_BATCH_MS, () => {
      this.pendingSync.delete(i.id);
      this.syncNow(i);
    });
    this.pendingSync.set(i.id, timer);
  }

  merge(fromId: string, intoId: string): void {
    const from = this.incidents.get(fromId);
    const into = this.incidents.get(intoId);
    if (!from || !into) throw new Error(`No Defender incident ${from ? intoId : fromId}.`);
    into.alerts.push(...from.alerts);
    from.alerts = [];
    from.status = "redirected";
    from.redirectIncidentId = into.id;
    if (RANK[from.severity] > RANK[into.severity]) into.severity = from.severity;
    this.touch(from, XDR_PROVIDER);
    this.touch(into, XDR_PROVIDER);
    this.syncNow(from);
    this.syncNow(into);
  }

  /** Write the incident's current state to its Sentinel incident (provider Microsoft XDR). */
  syncNow(i: DefenderIncident): void {
    const name = i.sentinelIncidentId.split("/").pop()!;
    const existing = this.state.getIncident(i.sentinelIncidentId);
    const closed = i.status === "resolved" || i.status === "redirected";
    const input: Record<string, unknown> = {
      title: i.displayName,
      description: i.description,
      severity: SENTINEL_SEVERITY[i.severity],
      status: closed ? "Closed" : i.status === "inProgress" ? "Active" : "New",
      labels: i.customTags.map((labelName) => ({ labelName, labelType: "User" })),
    };
    if (closed) {
      input.classification = SENTINEL_CLASSIFICATION[i.classification] ?? "Undetermined";
      if (i.resolvingComment) input.classificationComment = i.resolvingComment;
    }
    const known = new Set(((existing?.alerts ?? []) as { systemAlertId?: string }[]).map((a) => a.systemAlertId));
    const { incident } = this.state.upsertIncident(i.workspaceId, name, input, {
      providerName: XDR_PROVIDER,
      providerIncidentId: i.id,
      providerIncidentUrl: this.webUrl(i),
      relatedAnalyticRuleIds: [...new Set(i.alerts.map((a) => a.analyticRuleId))],
      alerts: i.alerts.filter((a) => !known.has(a.systemAlertId)) as unknown as Record<string, unknown>[],
      replaceAlerts: i.status === "redirected",
    });
    void incident;
  }
}

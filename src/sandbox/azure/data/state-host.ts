/**
 * `DataPlaneHost` over the control plane's `AzureState`, so that wiring the data plane is one line:
 * `createDataPlane(createStateHost(state, { ingestionLatencyMs }))`.
 */
import { randomUUID } from "node:crypto";
import type { DefenderWorld } from "../defender/world.js";
import type { AzureState } from "../state.js";
import type { DataPlaneHost } from "./host.js";

export interface StateHostOptions {
  /** Delay before ingested rows are visible (sandbox ms). Default 0. */
  ingestionLatencyMs?: number;
  /** Workspaces onboarded to the Defender portal: their rule-raised incidents go through Defender (defender/world.ts). */
  defender?: DefenderWorld;
}

export function createStateHost(state: AzureState, options: StateHostOptions = {}): DataPlaneHost {
  return {
    clock: state.clock,
    ingestionLatencyMs: options.ingestionLatencyMs ?? 0,
    findDcrByImmutableId: (immutableId) => state.findDcrByImmutableId(immutableId),
    findWorkspaceByCustomerId: (customerId) => state.findWorkspaceByCustomerId(customerId),
    findWorkspaceById: (id) => {
      const r = state.getResource(id);
      return r && r.type.toLowerCase() === "microsoft.operationalinsights/workspaces" ? r : undefined;
    },
    findTable: (workspaceId, tableName) => state.getTable(workspaceId, tableName),
    listSentinelWorkspaces: () =>
      state.list("Microsoft.OperationalInsights/workspaces").filter((w) => state.isSentinelOnboarded(w.id)),
    listAlertRules: (workspaceId) =>
      state
        .listAlertRules(workspaceId)
        .map((r) => ({ id: r.id, kind: String(r.kind ?? ""), properties: r.properties })),
    principalCan: (principalId, scope, action, kind) =>
      state.canPerform(principalId, action, scope, kind === "dataAction"),
    listIncidents: (workspaceId) => state.listIncidents(workspaceId),
    onTableDeleted(listener) {
      state.on((e) => {
        if (e.kind !== "resource-deleted") return;
        const type = e.type.toLowerCase();
        if (type === "microsoft.operationalinsights/workspaces") listener(e.id);
        else if (type === "microsoft.operationalinsights/workspaces/tables")
          listener(e.id.replace(/\/tables\/[^/]+$/i, ""), e.id.split("/").pop());
      });
    },
    incidentAlertIds: (id) =>
      (state.getIncident(id)?.alerts ?? []).map((a) => String((a as { systemAlertId?: unknown }).systemAlertId ?? "")),
    defenderOnboarded: (workspaceId) => options.defender?.isOnboarded(workspaceId) ?? false,
    createIncident(workspaceId, draft) {
      if (options.defender?.isOnboarded(workspaceId)) return options.defender.raise(workspaceId, draft);
      const { alerts, relatedAnalyticRuleIds, ...body } = draft;
      const { incident } = state.upsertIncident(workspaceId, randomUUID(), body, {
        relatedAnalyticRuleIds,
        alerts: alerts as unknown as Record<string, unknown>[],
      });
      return { id: incident.id, name: incident.name, incidentNumber: incident.properties.incidentNumber };
    },
  };
}

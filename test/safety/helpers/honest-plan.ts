/**
 * A plan is honest about what is left when it plans to create exactly the objects that are missing and plans
 * no create for an object that exists (checked against the sandboxes' own state, not the CLI's view).
 */
import { expect } from "vitest";
import { RG, ruleIdOf, type SafetyWorld, WS } from "./safety-world.js";

export interface PlanEntry {
  target: string;
  resource: string;
  name: string;
  action: "create" | "update" | "delete" | "no-op";
}

/** Is the object a plan entry names there, in the sandboxes? undefined: not an object we can look up. */
export function existsRemotely(w: SafetyWorld, e: PlanEntry): boolean | undefined {
  const rg = `/subscriptions/${w.azure.subscriptionId}/resourceGroups/${RG}`;
  const ws = `${rg}/providers/Microsoft.OperationalInsights/workspaces/${WS}`;
  if (e.resource.startsWith("connector")) return w.elastic.state.connectors().some((c) => c.id === e.name);
  if (e.resource.startsWith("detection rule")) return w.elastic.state.rules().some((r) => ruleIdOf(r) === e.name);
  if (e.resource === "Logic App workflow")
    return w.azure.state.getResource(`${rg}/providers/Microsoft.Logic/workflows/${e.name}`) !== undefined;
  if (e.resource === "data collection rule")
    return w.azure.state.getResource(`${rg}/providers/Microsoft.Insights/dataCollectionRules/${e.name}`) !== undefined;
  if (e.resource === "Log Analytics table") return w.azure.state.getTable(ws, e.name) !== undefined;
  if (e.resource.startsWith("Sentinel analytics rule")) return w.azure.state.listAlertRules(ws).length > 0;
  return undefined;
}

export function expectHonestPlan(w: SafetyWorld, plan: PlanEntry[], context: string): void {
  const lies: string[] = [];
  for (const e of plan) {
    const exists = existsRemotely(w, e);
    if (exists === undefined) continue;
    if (e.action === "create" && exists) lies.push(`plans to create ${e.resource} ${e.name}, which exists`);
    if ((e.action === "no-op" || e.action === "update") && !exists)
      lies.push(`plans ${e.action} for ${e.resource} ${e.name}, which is missing`);
  }
  expect(lies, context).toEqual([]);
}

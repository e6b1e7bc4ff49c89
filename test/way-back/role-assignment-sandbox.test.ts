/**
 * The role-assignment step against the Azure sandbox's state (src/sandbox/azure/state.ts), through a thin
 * adapter in this file: the sandbox has principals and role assignments, but no app ids (client ids) for
 * principals, no role-assignment descriptions, and no HTTP routes for them yet, so the adapter maps one app id
 * and keeps descriptions beside the state. What it proves: the assignment we make lets the principal read
 * Sentinel incidents once propagated, and ARM's one-assignment-per-(principal, role, scope) rule holds.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClock } from "../../src/sandbox/common/clock.js";
import { scopeContains } from "../../src/sandbox/azure/ids.js";
import { AzureState } from "../../src/sandbox/azure/state.js";
import type { RoleAssignmentsApi } from "../../src/steps/way-back/azure-roles.js";
import { wayBackSteps, wayBackTeardownSteps } from "../../src/steps/way-back/index.js";
import { CLIENT_ID, type Harness, run, startHarness, SUBSCRIPTION, TENANT, WORKSPACE_ID } from "./helpers.js";

const SP_OBJECT_ID = "bbbbbbbb-0000-0000-0000-000000000002";

function overState(state: AzureState, appIds: Map<string, string>): RoleAssignmentsApi {
  const descriptions = new Map<string, string>();
  const view = (r: AzureState["roleAssignments"][number]) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    roleDefinitionId: r.roleDefinitionId,
    principalId: r.principalId,
    description: descriptions.get(r.id.toLowerCase()),
  });
  return {
    async findServicePrincipalByAppId(appId) {
      const id = appIds.get(appId.toLowerCase());
      const p = id ? state.principals.get(id) : undefined;
      return p ? { id: p.id, appId, displayName: p.displayName } : undefined;
    },
    async listRoleAssignments(scope, principalId) {
      return state.roleAssignments
        .filter((r) => r.principalId === principalId && scopeContains(r.scope, scope))
        .map(view);
    },
    async getRoleAssignment(id) {
      const r = state.roleAssignments.find((x) => x.id.toLowerCase() === id.toLowerCase());
      return r ? view(r) : undefined;
    },
    async createRoleAssignment(a) {
      const r = state.addRoleAssignment(a);
      descriptions.set(r.id.toLowerCase(), a.description);
      return view(r);
    },
    async deleteRoleAssignment(id) {
      state.removeRoleAssignment(id);
    },
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("role assignment against the Azure sandbox state", () => {
  it("lets the app's service principal read Sentinel incidents after propagation, once", async () => {
    const clock = createClock({ mode: "manual", start: Date.UTC(2026, 0, 1) });
    const state = new AzureState(TENANT, SUBSCRIPTION, clock, 30_000);
    state.addPrincipal({ id: SP_OBJECT_ID, type: "ServicePrincipal", displayName: "sentinel-integration" });
    const api = overState(state, new Map([[CLIENT_ID, SP_OBJECT_ID]]));
    h = await startHarness();
    const ctx = h.ctx();
    (ctx.clients as { azure: () => Promise<unknown> }).azure = async () => ({ roleAssignments: api });

    const incidents = `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/incidents/x`;
    expect(state.canPerform(SP_OBJECT_ID, "Microsoft.SecurityInsights/incidents/read", incidents)).toBe(false);
    await run(wayBackSteps, ctx);
    expect(state.roleAssignments).toHaveLength(1);
    await clock.advance(30_000);
    expect(state.canPerform(SP_OBJECT_ID, "Microsoft.SecurityInsights/incidents/read", incidents)).toBe(true);
    expect(state.canPerform(SP_OBJECT_ID, "Microsoft.SecurityInsights/incidents/write", incidents)).toBe(false);

    const again = await run(wayBackSteps, ctx);
    expect(again.find((c) => c.step === "way-back.role-assignment")?.action).toBe("no-op");
    expect(state.roleAssignments).toHaveLength(1);

    await run(wayBackTeardownSteps, ctx);
    expect(state.roleAssignments).toHaveLength(0);
  });
});

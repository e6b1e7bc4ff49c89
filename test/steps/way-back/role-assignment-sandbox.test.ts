/**
 * The role-assignment step against the Azure sandbox through the real Azure client (no adapter): Microsoft Graph
 * finds the app registration's service principal, ARM takes the Microsoft Sentinel Reader assignment, a second
 * run changes nothing, teardown removes it. The Fleet side runs on the harness's Fleet emulator.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createAzureClients } from "../../../src/azure/client.js";
import type { ResolvedConfig } from "../../../src/config/schema.js";
import type { StepContext } from "../../../src/engine/types.js";
import { AuthError, exitCodeOf, InputError, PreconditionError } from "../../../src/errors.js";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { wayBackSteps, wayBackTeardownSteps } from "../../../src/steps/way-back/index.js";
import { roles } from "../../../src/names.js";
import { ROLE_ASSIGNMENT_STEP, roleAssignmentStep } from "../../../src/steps/way-back/role-assignment.js";
import {
  CLIENT_ID,
  type Harness,
  run,
  startHarness,
  SUBSCRIPTION,
  TENANT,
  WORKSPACE_ID,
  wayBackConfig,
} from "./helpers.js";

const SP_OBJECT_ID = "bbbbbbbb-0000-4000-8000-000000000002";
const PROPAGATION_MS = 30_000;
const INCIDENTS = `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/incidents/x`;

let h: Harness | undefined;
let sb: AzureSandbox | undefined;
afterEach(async () => {
  await Promise.all([h?.close(), sb?.stop()]);
  h = undefined;
  sb = undefined;
});

async function world(options: { deployerRoles?: string[]; graph?: boolean; clientId?: string } = {}) {
  sb = await startAzureSandbox({
    clock: createClock({ mode: "manual", start: Date.UTC(2026, 0, 1) }),
    tenantId: TENANT,
    subscriptionId: SUBSCRIPTION,
    resourceGroups: [{ name: "rg-sentinel", location: "westeurope" }],
    workspaces: [{ name: "ws-sentinel", resourceGroup: "rg-sentinel" }],
    servicePrincipals: [{ appId: CLIENT_ID, displayName: "sentinel-integration", objectId: SP_OBJECT_ID }],
    deployerRoles: options.deployerRoles,
    roleAssignmentDelayMs: PROPAGATION_MS,
  });
  h = await startHarness();
  const base = wayBackConfig();
  const config = wayBackConfig({
    azure: {
      ...base.azure,
      endpoints: {
        resourceManager: sb.endpoints.resourceManager,
        ...(options.graph === false ? {} : { graph: sb.endpoints.graph }),
      },
    },
    sentinelToElastic: { ...base.sentinelToElastic, clientId: options.clientId ?? CLIENT_ID },
  } as Partial<ResolvedConfig>);
  const ctx = h.ctx(config);
  const azure = await createAzureClients(config, { azureCredential: sb.credential, azureCaCerts: [sb.caCert] });
  (ctx.clients as { azure: () => Promise<unknown> }).azure = async () => azure;
  return { sb, ctx };
}

const ours = (s: AzureSandbox) => s.state.roleAssignments.filter((r) => r.principalId === SP_OBJECT_ID);

async function planError(ctx: StepContext): Promise<unknown> {
  return roleAssignmentStep.plan(ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("way-back role assignment against the Azure sandbox, through the Azure client", () => {
  it("finds the app's service principal through Graph and gives it Microsoft Sentinel Reader on the workspace", async () => {
    const { sb, ctx } = await world();
    expect(sb.state.canPerform(SP_OBJECT_ID, "Microsoft.SecurityInsights/incidents/read", INCIDENTS)).toBe(false);

    const plan = await run(wayBackSteps, ctx);
    expect(plan.find((c) => c.step === ROLE_ASSIGNMENT_STEP)).toMatchObject({ action: "create" });
    expect(ours(sb)).toHaveLength(1);
    const [ra] = ours(sb);
    expect(ra!.scope.toLowerCase()).toBe(WORKSPACE_ID.toLowerCase());
    expect(ra!.roleDefinitionId.split("/").pop()).toBe(roles.sentinelReader);
    expect(ra!.principalType).toBe("ServicePrincipal");
    expect(sb.state.getResource(ra!.id)?.properties.description).toMatch(/managed-by: sentinel-elastic/);

    // Azure honours a new assignment only after it propagates; then the app reads incidents and nothing more.
    await sb.clock.advance(PROPAGATION_MS);
    expect(sb.state.canPerform(SP_OBJECT_ID, "Microsoft.SecurityInsights/incidents/read", INCIDENTS)).toBe(true);
    expect(sb.state.canPerform(SP_OBJECT_ID, "Microsoft.SecurityInsights/incidents/write", INCIDENTS)).toBe(false);

    const checks = await roleAssignmentStep.verify!(ctx);
    expect(checks).toMatchObject([{ id: "way-back.role-assignment", status: "pass" }]);
  });

  it("a second run plans no-op for the role and writes nothing", async () => {
    const { sb, ctx } = await world();
    await run(wayBackSteps, ctx);
    const before = JSON.stringify(sb.state.roleAssignments);
    const again = await run(wayBackSteps, ctx);
    expect(again.find((c) => c.step === ROLE_ASSIGNMENT_STEP)).toMatchObject({ action: "no-op" });
    expect(JSON.stringify(sb.state.roleAssignments)).toBe(before);
  });

  it("an app registration with no service principal in the tenant fails with SERVICE_PRINCIPAL_NOT_FOUND, exit 5", async () => {
    const unknown = "12345678-aaaa-4bbb-8ccc-1234567890ab";
    const { sb, ctx } = await world({ clientId: unknown });
    const e = await planError(ctx);
    expect(e).toBeInstanceOf(PreconditionError);
    expect(e).toMatchObject({ code: "SERVICE_PRINCIPAL_NOT_FOUND" });
    expect((e as Error).message).toBe(`The app registration ${unknown} has no service principal in this tenant.`);
    expect((e as PreconditionError).suggestion).toContain(`az ad sp create --id ${unknown}`);
    expect(exitCodeOf(e)).toBe(5);
    expect(ours(sb)).toEqual([]);
  });

  it("a caller who may not assign roles is told who can, exit 4, and nothing is written", async () => {
    const { sb, ctx } = await world({ deployerRoles: ["Contributor"] });
    const e = await planError(ctx);
    expect(e).toBeInstanceOf(AuthError);
    expect(e).toMatchObject({ code: "ROLE_ASSIGNMENT_NOT_PERMITTED" });
    expect((e as AuthError).suggestion).toContain('--role "Microsoft Sentinel Reader"');
    expect(exitCodeOf(e)).toBe(4);
    expect(ours(sb)).toEqual([]);
  });

  it("with Resource Manager overridden and no Graph endpoint, Graph is not called (AZURE_GRAPH_UNAVAILABLE, exit 3)", async () => {
    const { ctx } = await world({ graph: false });
    const e = await planError(ctx);
    expect(e).toMatchObject({ code: "AZURE_GRAPH_UNAVAILABLE" });
    expect((e as { suggestion?: string }).suggestion).toContain("--azure-graph-url");
    expect(e).toBeInstanceOf(InputError);
    expect(exitCodeOf(e)).toBe(3);
  });

  it("teardown removes our assignment, and a second teardown finds nothing to remove", async () => {
    const { sb, ctx } = await world();
    await run(wayBackSteps, ctx);
    expect(ours(sb)).toHaveLength(1);
    const plan = await run(wayBackTeardownSteps, ctx);
    expect(plan.find((c) => c.step === "way-back.teardown.role-assignment")).toMatchObject({ action: "delete" });
    expect(ours(sb)).toEqual([]);
    const again = await run(wayBackTeardownSteps, ctx);
    expect(again.find((c) => c.step === "way-back.teardown.role-assignment")).toMatchObject({
      action: "no-op",
      reason: "none of ours on the workspace",
    });
  });

  it("teardown leaves alone a Sentinel Reader assignment someone else made for the app", async () => {
    const { sb, ctx } = await world();
    await run(wayBackSteps, ctx);
    // Someone re-creates the assignment under our name without our marker (e.g. by hand in the portal).
    const [ra] = ours(sb);
    const stored = sb.state.getResource(ra!.id)!;
    stored.properties.description = "granted by the SOC team";
    const plan = await run(wayBackTeardownSteps, ctx);
    expect(plan.find((c) => c.step === "way-back.teardown.role-assignment")).toMatchObject({ action: "no-op" });
    expect(ours(sb)).toHaveLength(1);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { ExitCode, type SentinelElasticError } from "../../../src/errors.js";
import { clearRegisteredSecrets } from "../../../src/redact.js";
import { wayBackSteps } from "../../../src/steps/way-back/index.js";
import { agentPolicyName, packagePolicyName, roleAssignmentName, roles } from "../../../src/names.js";
import { CLIENT_ID, CLIENT_SECRET, type Harness, run, startHarness, WORKSPACE_ID, wayBackConfig } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  clearRegisteredSecrets();
});

async function failure(p: Promise<unknown>): Promise<SentinelElasticError> {
  try {
    await p;
  } catch (e) {
    return e as SentinelElasticError;
  }
  throw new Error("expected a failure");
}

describe("setup with features.sentinelToElastic", () => {
  it("creates the role assignment, installs the package, creates our agent policy and the package policy", async () => {
    h = await startHarness();
    const plan = await run(wayBackSteps, h.ctx());
    expect(JSON.stringify(plan)).not.toContain(CLIENT_SECRET);
    expect(plan.filter((c) => c.action === "create").map((c) => c.step)).toEqual([
      "way-back.fleet-package",
      "way-back.role-assignment",
      "way-back.agent-policy",
      "way-back.package-policy",
    ]);
    const { state } = h.fleet;
    expect(state.installed.get("microsoft_sentinel")?.version).toBe("1.2.0");
    const ra = [...h.roles.assignments.values()];
    expect(ra).toHaveLength(1);
    expect(ra[0]!.name).toBe(roleAssignmentName(WORKSPACE_ID, CLIENT_ID));
    expect(ra[0]!.scope).toBe(WORKSPACE_ID);
    expect(ra[0]!.roleDefinitionId.endsWith(roles.sentinelReader)).toBe(true);
    expect(ra[0]!.description).toContain("managed-by: sentinel-elastic");
    const agentPolicy = [...state.agentPolicies.values()].find((p) => p.name === agentPolicyName("elastic-sentinel"));
    expect(agentPolicy).toBeDefined();
    const pp = [...state.packagePolicies.values()].find((p) => p.name === packagePolicyName("elastic-sentinel"))!;
    expect(pp.policy_ids).toEqual([agentPolicy!.id]);
    const cel = pp.inputs.get("microsoft_sentinel-cel")!;
    expect(cel.enabled).toBe(true);
    expect(cel.vars.workspace_name).toBe("ws-sentinel");
    expect(cel.vars.resource_group_name).toBe("rg-sentinel");
    expect(cel.streams.get("microsoft_sentinel.incident")!.enabled).toBe(true);
    expect(cel.streams.get("microsoft_sentinel.alert")!.enabled).toBe(true);
    expect(String(cel.streams.get("microsoft_sentinel.incident")!.vars.processors)).toContain("drop_event");
    expect(pp.inputs.get("microsoft_sentinel-azure-eventhub")!.enabled).toBe(false);
  });

  it("keeps the client secret only as a secret reference: stored in Fleet's secret store, never returned", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const pp = [...h.fleet.state.packagePolicies.values()][0]!;
    const ref = pp.inputs.get("microsoft_sentinel-cel")!.vars.client_secret as { isSecretRef: boolean; id: string };
    expect(ref.isSecretRef).toBe(true);
    expect(h.fleet.state.secrets.get(ref.id)).toBe(CLIENT_SECRET);
    const res = await fetch(`${h.baseUrl}/api/fleet/package_policies?format=simplified`);
    expect(await res.text()).not.toContain(CLIENT_SECRET);
  });

  it("a second run changes nothing", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const writes = h.roles.writes;
    const revision = [...h.fleet.state.packagePolicies.values()][0]!.revision;
    const second = await run(wayBackSteps, h.ctx());
    expect(second.map((c) => `${c.step}:${c.action}`)).toEqual([
      "way-back.fleet-package:no-op",
      "way-back.role-assignment:no-op",
      "way-back.agent-policy:no-op",
      "way-back.package-policy:no-op",
    ]);
    expect(h.roles.writes).toBe(writes);
    expect([...h.fleet.state.packagePolicies.values()][0]!.revision).toBe(revision);
  });

  it("updates the package policy when the polling interval changes", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const plan = await run(wayBackSteps, h.ctx(wayBackConfig({ sentinelToElastic: { interval: "10m" } })));
    const change = plan.find((c) => c.step === "way-back.package-policy")!;
    expect(change.action).toBe("update");
    expect(JSON.stringify(plan)).not.toContain(CLIENT_SECRET);
    expect(change.diff?.map((d) => d.field)).toContain(
      "inputs.microsoft_sentinel-cel.streams.microsoft_sentinel.incident.vars.interval",
    );
    const pp = [...h.fleet.state.packagePolicies.values()][0]!;
    expect(pp.inputs.get("microsoft_sentinel-cel")!.streams.get("microsoft_sentinel.incident")!.vars.interval).toBe(
      "10m",
    );
  });

  it("enables the Event Hub input only when its inputs are given", async () => {
    h = await startHarness();
    const config = wayBackConfig({
      sentinelToElastic: {
        eventHub: {
          name: "sentinel-events",
          consumerGroup: "$Default",
          connectionString: "Endpoint=sb://x/;SharedAccessKey=abcdef123",
          storageAccount: "stcheckpoints",
          storageAccountKey: "c3RvcmFnZS1rZXktdmFsdWU=",
        },
      },
    });
    await run(wayBackSteps, h.ctx(config));
    const eh = [...h.fleet.state.packagePolicies.values()][0]!.inputs.get("microsoft_sentinel-azure-eventhub")!;
    expect(eh.enabled).toBe(true);
    const vars = eh.streams.get("microsoft_sentinel.event")!.vars;
    expect(vars.eventhub).toBe("sentinel-events");
    expect((vars.connection_string as { isSecretRef: boolean }).isSecretRef).toBe(true);
    expect((vars.storage_account_key as { isSecretRef: boolean }).isSecretRef).toBe(true);
  });

  it("uses the agent policy the user names and never creates one", async () => {
    h = await startHarness();
    const theirs = await fetch(`${h.baseUrl}/api/fleet/agent_policies`, {
      method: "POST",
      headers: { "content-type": "application/json", "kbn-xsrf": "t" },
      body: JSON.stringify({ name: "soc-collectors", namespace: "default" }),
    }).then((r) => r.json() as Promise<{ item: { id: string } }>);
    await run(wayBackSteps, h.ctx(wayBackConfig({ sentinelToElastic: { agentPolicyId: theirs.item.id } })));
    expect(h.fleet.state.agentPolicies.size).toBe(1);
    expect([...h.fleet.state.packagePolicies.values()][0]!.policy_ids).toEqual([theirs.item.id]);
  });

  it("deploys agentless when asked and the package offers it", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx(wayBackConfig({ sentinelToElastic: { agentPolicyId: "agentless" } })));
    const pp = [...h.fleet.state.packagePolicies.values()][0]!;
    expect(pp.supports_agentless).toBe(true);
    expect(h.fleet.state.agentPolicies.get(pp.policy_ids[0]!)?.supports_agentless).toBe(true);
    const again = await run(wayBackSteps, h.ctx(wayBackConfig({ sentinelToElastic: { agentPolicyId: "agentless" } })));
    expect(again.every((c) => c.action === "no-op")).toBe(true);
  });

  it("upgrades an older installed package and moves the package policy to the new version", async () => {
    h = await startHarness();
    await fetch(`${h.baseUrl}/api/fleet/epm/packages/microsoft_sentinel/1.1.1`, {
      method: "POST",
      headers: { "kbn-xsrf": "t" },
    });
    await run(wayBackSteps, h.ctx());
    const plan = await run(wayBackSteps, h.ctx());
    expect(plan.every((c) => c.action === "no-op")).toBe(true);
    h.fleet.state.installed.set("microsoft_sentinel", { version: "1.1.1", installedAt: "2026-01-01T00:00:00Z" });
    [...h.fleet.state.packagePolicies.values()][0]!.package.version = "1.1.1";
    const upgrade = await run(wayBackSteps, h.ctx());
    expect(upgrade.find((c) => c.step === "way-back.fleet-package")).toMatchObject({
      action: "update",
      reason: expect.stringContaining("1.1.1 → 1.2.0"),
    });
    expect(upgrade.find((c) => c.step === "way-back.package-policy")?.action).toBe("update");
    expect(h.fleet.state.installed.get("microsoft_sentinel")?.version).toBe("1.2.0");
    expect([...h.fleet.state.packagePolicies.values()][0]!.package.version).toBe("1.2.0");
  });

  it("installs the newest package version this Kibana accepts (8.14 → 0.4.0)", async () => {
    h = await startHarness({ kibanaVersion: "8.14.3" });
    await run(wayBackSteps, h.ctx());
    expect(h.fleet.state.installed.get("microsoft_sentinel")?.version).toBe("0.4.0");
    expect([...h.fleet.state.packagePolicies.values()][0]!.package.version).toBe("0.4.0");
  });
});

describe("preflight failures", () => {
  it("Fleet not set up: FLEET_NOT_SET_UP, exit 5", async () => {
    h = await startHarness({ missingRequirements: ["api_keys"] });
    const e = await failure(run(wayBackSteps, h.ctx()));
    expect(e.code).toBe("FLEET_NOT_SET_UP");
    expect(e.message).toBe("Fleet is not set up: missing api_keys.");
    expect(e.exitCode).toBe(ExitCode.precondition);
    expect(h.fleet.state.packagePolicies.size).toBe(0);
  });

  it("a missing Fleet Server alone does not stop setup", async () => {
    h = await startHarness({ missingRequirements: ["fleet_server"] });
    await run(wayBackSteps, h.ctx());
    expect(h.fleet.state.packagePolicies.size).toBe(1);
  });

  it("package version incompatible with the stack: FLEET_PACKAGE_INCOMPATIBLE, exit 5", async () => {
    h = await startHarness({ kibanaVersion: "8.6.2" });
    const e = await failure(run(wayBackSteps, h.ctx()));
    expect(e.code).toBe("FLEET_PACKAGE_INCOMPATIBLE");
    expect(e.message).toBe("microsoft_sentinel 1.2.0 needs Kibana ^8.18.0 || ^9.0.0; this stack runs Kibana 8.6.2.");
    expect(e.exitCode).toBe(ExitCode.precondition);
    expect(h.fleet.state.installed.size).toBe(0);
  });

  it("a registry offering only an incompatible version: FLEET_PACKAGE_INCOMPATIBLE, exit 5", async () => {
    h = await startHarness({ kibanaVersion: "8.6.2", filterByKibanaVersion: false });
    const e = await failure(run(wayBackSteps, h.ctx()));
    expect(e.code).toBe("FLEET_PACKAGE_INCOMPATIBLE");
    expect(e.exitCode).toBe(5);
  });

  it("app registration with no service principal: SERVICE_PRINCIPAL_NOT_FOUND, exit 5", async () => {
    h = await startHarness();
    h.roles.principals.clear();
    const e = await failure(run(wayBackSteps, h.ctx()));
    expect(e.code).toBe("SERVICE_PRINCIPAL_NOT_FOUND");
    expect(e.message).toBe(`The app registration ${CLIENT_ID} has no service principal in this tenant.`);
    expect(e.exitCode).toBe(ExitCode.precondition);
  });

  it("app registration without a role that we may not assign: ROLE_ASSIGNMENT_NOT_PERMITTED, exit 4", async () => {
    h = await startHarness();
    h.roles.forbidden = true;
    const e = await failure(run(wayBackSteps, h.ctx()));
    expect(e.code).toBe("ROLE_ASSIGNMENT_NOT_PERMITTED");
    expect(e.message).toBe(
      `The app registration ${CLIENT_ID} has no role that can read Sentinel, and you may not assign one on ws-sentinel.`,
    );
    expect(e.suggestion).toContain(
      `az role assignment create --assignee ${CLIENT_ID} --role "Microsoft Sentinel Reader"`,
    );
    expect(e.exitCode).toBe(ExitCode.auth);
  });

  it("an app registration that already reads Sentinel needs no new assignment, even when we may not assign", async () => {
    h = await startHarness();
    await h.roles.createRoleAssignment({
      scope: `/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-sentinel`,
      name: "their-own",
      roleDefinitionId:
        "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/ab8e14d6-4a74-4a29-9ba8-549422addade",
      principalId: "aaaaaaaa-0000-0000-0000-000000000001",
      principalType: "ServicePrincipal",
      description: "by an admin",
    });
    h.roles.forbidden = true;
    const plan = await run(wayBackSteps, h.ctx());
    expect(plan.find((c) => c.step === "way-back.role-assignment")?.action).toBe("no-op");
    expect(h.roles.assignments.size).toBe(1);
  });

  it("a 403 when assigning the role: ROLE_ASSIGNMENT_FORBIDDEN, exit 4", async () => {
    h = await startHarness();
    h.roles.canWriteRoleAssignments = async () => true;
    h.roles.forbidden = true;
    const e = await failure(run(wayBackSteps, h.ctx()));
    expect(e.code).toBe("ROLE_ASSIGNMENT_FORBIDDEN");
    expect(e.exitCode).toBe(ExitCode.auth);
  });

  it("an agent policy id that does not exist: AGENT_POLICY_NOT_FOUND, exit 5", async () => {
    h = await startHarness();
    const e = await failure(run(wayBackSteps, h.ctx(wayBackConfig({ sentinelToElastic: { agentPolicyId: "nope" } }))));
    expect(e.code).toBe("AGENT_POLICY_NOT_FOUND");
    expect(e.exitCode).toBe(5);
  });

  it("missing workspace inputs are listed together: WAY_BACK_INPUT_MISSING, exit 3", async () => {
    h = await startHarness();
    const e = await failure(
      run(
        wayBackSteps,
        h.ctx(wayBackConfig({ sentinel: { workspaceName: undefined }, azure: { tenantId: undefined } })),
      ),
    );
    expect(e.code).toBe("WAY_BACK_INPUT_MISSING");
    expect(e.message).toBe(
      "The Sentinel → Elastic integration is missing sentinel.workspaceName, sentinelToElastic.tenantId.",
    );
    expect(e.exitCode).toBe(ExitCode.input);
  });
});

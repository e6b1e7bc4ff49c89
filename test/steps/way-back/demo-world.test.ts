/**
 * The way back in the demo's world, through the CLI as a user runs it: the demo registers an app registration
 * in the Azure sandbox and turns `features.sentinelToElastic` on, so setup finds the app's service principal
 * through the sandbox's Microsoft Graph, gives it Microsoft Sentinel Reader, installs the package and creates
 * the policies; a second plan changes nothing; teardown removes what setup made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, ids, startWorldCli } from "../../demo/world-cli.js";
import { ALERT_TITLE_PREFIX, CASE_LABEL, PACKAGE_NAME, packagePolicyName, roles } from "../../../src/names.js";

let w: WorldCli;
let secret: string;
const outputs: string[] = [];

const appPrincipal = () => {
  const appId = w.world.inputs["sentinelToElastic.clientId"] as string;
  return w.world.azure.state.servicePrincipalByAppId(appId)!;
};
const readerAssignments = () =>
  w.world.azure.state.roleAssignments.filter(
    (r) => r.principalId === appPrincipal().id && r.roleDefinitionId.endsWith(roles.sentinelReader),
  );
const ourPackagePolicy = () =>
  [...w.world.elastic.fleet.state.packagePolicies.values()].find(
    (p) => p.name === packagePolicyName("elastic-sentinel"),
  );

beforeAll(async () => {
  w = await startWorldCli();
  secret = w.world.secretEnv.SENTINEL_TO_ELASTIC_CLIENT_SECRET!;
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

describe("the way back in the demo world", () => {
  it("the demo registers an app registration and enables the way back with its secret in the environment only", () => {
    expect(w.world.inputs["features.sentinelToElastic"]).toBe(true);
    expect(w.world.inputs["azure.endpoints.graph"]).toBe(w.world.azure.endpoints.graph);
    expect(appPrincipal()).toMatchObject({ type: "ServicePrincipal" });
    expect(secret).toMatch(/^\S{16,}$/);
    expect(JSON.stringify(w.world.inputs)).not.toContain(secret);
  });

  it("setup gives the app Microsoft Sentinel Reader on the workspace and creates the package policy", async () => {
    const r = await w.run(["setup", "--yes", "--non-interactive", "--json"]);
    outputs.push(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    expect(readerAssignments().map((a) => a.scope.toLowerCase())).toEqual([ids(w.world).ws.toLowerCase()]);
    expect(w.world.elastic.fleet.state.installed.has(PACKAGE_NAME)).toBe(true);
    const policy = ourPackagePolicy();
    expect(policy?.policy_ids).toHaveLength(1);
    // The client secret went into Fleet's secret storage, nowhere else.
    expect([...w.world.elastic.fleet.state.secrets.values()]).toContain(secret);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    const status = Object.fromEntries(
      doc.checks.filter((c) => c.id.startsWith("way-back")).map((c) => [c.id, c.status]),
    );
    expect(status).toMatchObject({
      "way-back.package-installed": "pass",
      "way-back.role-assignment": "pass",
      "way-back.package-policy": "pass",
      "way-back.assigned": "pass",
      "way-back.no-echo": "pass",
    });
  }, 120_000);

  it("the demo's agent carries Sentinel's other incidents into Elastic and drops ours (the echo filter in the policy)", async () => {
    const sentinel = w.world.azure.state.listIncidents(ids(w.world).ws);
    const isOurs = (i: (typeof sentinel)[number]) =>
      (i.properties.labels ?? []).some((l: { labelName: string }) => l.labelName === CASE_LABEL) ||
      String(i.properties.title).startsWith(ALERT_TITLE_PREFIX);
    const ours = sentinel.filter(isOurs);
    const others = sentinel.filter((i) => !isOurs(i));
    // setup's end-to-end checks made incidents from a case and from an alert; the demo seeded one of the SOC's.
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(others.length).toBeGreaterThanOrEqual(1);
    // One more polling interval, so the agent has seen every incident above.
    await w.world.clock.advance(6 * 60_000);
    const indexed = w.world.elastic.state
      .documents("logs-microsoft_sentinel.incident-*")
      .map((d) => (d as { microsoft_sentinel: { incident: { id: string } } }).microsoft_sentinel.incident.id);
    for (const o of others) expect(indexed).toContain(o.id);
    for (const o of ours) expect(indexed).not.toContain(o.id);
  }, 60_000);

  it("a second plan finds nothing to change on the way back", async () => {
    const r = await w.run(["plan", "--json"]);
    outputs.push(r.stdout, r.stderr);
    const doc = JSON.parse(r.stdout) as { plan: { step: string; action: string }[] };
    const wayBack = doc.plan.filter((c) => c.step.startsWith("way-back"));
    expect(wayBack.length).toBeGreaterThanOrEqual(4);
    expect(wayBack.filter((c) => c.action !== "no-op")).toEqual([]);
  }, 60_000);

  it("teardown --yes removes the role assignment and the policies and keeps the package installed", async () => {
    const r = await w.run(["teardown", "--yes", "--non-interactive"]);
    outputs.push(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    expect(readerAssignments()).toEqual([]);
    expect(ourPackagePolicy()).toBeUndefined();
    expect(w.world.elastic.fleet.state.installed.has(PACKAGE_NAME)).toBe(true);
  }, 60_000);

  it("the client secret appears in no output", () => {
    expect(outputs.length).toBeGreaterThan(0);
    for (const o of outputs) expect(o).not.toContain(secret);
  });
});

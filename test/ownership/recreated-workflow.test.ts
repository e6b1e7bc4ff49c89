/**
 * A Logic App deleted by hand comes back with a new managed identity (a new principalId), and Resource Manager
 * refuses to point an existing role assignment at another principal (RoleAssignmentUpdateNotPermitted). Setup
 * repairs it anyway: the plan says `-/+ replace` for the stale assignment; apply deletes the one we own and the
 * deployment creates it again for the new identity.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectExactlyOneOfEach, PREFIX } from "../safety/helpers/converged.js";
import { RG, type SafetyWorld, startSafetyWorld } from "../safety/helpers/safety-world.js";

const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
const CASE_GET = `${PREFIX}-case-get`;
const READER = "8d289c81-5878-46d4-8554-54e1e3d8b5cb";

let w: SafetyWorld;
const workflowPath = `/subscriptions/__SUB__/resourceGroups/${RG}/providers/Microsoft.Logic/workflows/${CASE_GET}?api-version=2019-05-01`;
const principalOf = () =>
  w.azure.state.list("Microsoft.Logic/workflows").find((r) => r.name === CASE_GET)?.identity?.principalId as
    | string
    | undefined;
const readerFor = (principalId: string | undefined) =>
  w.azure.state.roleAssignments.filter(
    (a) => a.principalId === principalId && a.roleDefinitionId.toLowerCase().endsWith(READER),
  );

beforeAll(async () => {
  w = await startSafetyWorld();
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

describe("a recreated Logic App gets its role assignment replaced", () => {
  let oldPrincipal: string | undefined;

  it("setup, then the case-get Logic App is deleted by hand", async () => {
    const r = await w.run(SETUP);
    expect(r.code, r.stderr).toBe(0);
    oldPrincipal = principalOf();
    expect(readerFor(oldPrincipal)).toHaveLength(1);
    const del = await w.arm("DELETE", workflowPath.replace("__SUB__", w.azure.subscriptionId));
    expect(del.status).toBeLessThan(300);
    expect(principalOf()).toBeUndefined();
  }, 180_000);

  it("plan shows the stale role assignment as -/+ replace", async () => {
    const r = await w.run(["plan", "--non-interactive"]);
    expect(r.code, r.stderr).toBe(0);
    const row = r.stdout.split("\n").find((l) => l.includes("Microsoft Sentinel Reader") && l.includes("-/+ replace"));
    expect(row, r.stdout).toBeDefined();
  }, 120_000);

  it("setup repairs it: the new identity holds the role, the old assignment is gone, a re-run has nothing to do", async () => {
    const r = await w.run(SETUP);
    expect(r.code, r.stderr).toBe(0);
    const fresh = principalOf();
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(oldPrincipal);
    expect(readerFor(fresh), "the new identity reads Sentinel").toHaveLength(1);
    expect(readerFor(oldPrincipal), "the stale assignment was deleted").toHaveLength(0);
    expectExactlyOneOfEach(w, "after the repair");
    const again = await w.run(["plan", "--non-interactive", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
  }, 240_000);
});

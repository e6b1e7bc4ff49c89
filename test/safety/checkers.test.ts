/** The safety tests' own checkers can fail: a lying plan, a duplicate and a leftover are caught. */
import { describe, expect, it } from "vitest";
import { expectExactlyOneOfEach, expectNothingLeft } from "./helpers/converged.js";
import { expectHonestPlan } from "./helpers/honest-plan.js";
import type { Counts, SafetyWorld } from "./helpers/safety-world.js";

const counts = (over: Partial<Counts> = {}): Counts => ({
  connectors: { "elastic-sentinel-cases-webhook": 1, "elastic-sentinel-alert-webhook": 1 },
  rules: { "elastic-sentinel-forward-rule": 1 },
  caseConfigurations: 1,
  workflows: { "elastic-sentinel-case-sync": 1, "elastic-sentinel-case-get": 1, "elastic-sentinel-alert-ingest": 1 },
  dcrs: 1,
  alertRules: 1,
  roleAssignments: 3,
  orphanRoleAssignments: 0,
  deployments: 2,
  ...over,
});

function fakeWorld(c: Counts, connectorIds: string[] = []): SafetyWorld {
  return {
    counts: () => c,
    azure: {
      subscriptionId: "s",
      state: { getResource: () => undefined, getTable: () => undefined, listAlertRules: () => [] },
    },
    elastic: { state: { connectors: () => connectorIds.map((id) => ({ id })), rules: () => [] } },
  } as unknown as SafetyWorld;
}

describe("the safety checkers", () => {
  it("accept a converged world and refuse a duplicate workflow or an orphaned role assignment", () => {
    expectExactlyOneOfEach(fakeWorld(counts()));
    const twoCaseSync = counts({ workflows: { ...counts().workflows, "elastic-sentinel-case-sync": 2 } });
    expect(() => expectExactlyOneOfEach(fakeWorld(twoCaseSync))).toThrow();
    expect(() => expectExactlyOneOfEach(fakeWorld(counts({ orphanRoleAssignments: 1 })))).toThrow();
  });

  it("refuse a leftover after teardown", () => {
    const empty = counts({ connectors: {}, rules: {}, workflows: {}, dcrs: 0, alertRules: 0, roleAssignments: 0 });
    expectNothingLeft(fakeWorld(empty));
    expect(() => expectNothingLeft(fakeWorld({ ...empty, dcrs: 1 }))).toThrow();
  });

  it("catch a plan that creates what exists or keeps what is missing", () => {
    const w = fakeWorld(counts(), ["elastic-sentinel-alert-webhook"]);
    const entry = (action: "create" | "no-op", name: string) => ({
      target: "kibana",
      resource: "connector (.webhook)",
      name,
      action,
    });
    expectHonestPlan(
      w,
      [entry("no-op", "elastic-sentinel-alert-webhook"), entry("create", "elastic-sentinel-cases-webhook")],
      "",
    );
    expect(() => expectHonestPlan(w, [entry("create", "elastic-sentinel-alert-webhook")], "")).toThrow();
    expect(() => expectHonestPlan(w, [entry("no-op", "elastic-sentinel-cases-webhook")], "")).toThrow();
  });
});

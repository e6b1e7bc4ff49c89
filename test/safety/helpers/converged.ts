/** What a converged setup (default features, managed identity) leaves: exactly one of each object, nothing else. */
import { expect } from "vitest";
import type { SafetyWorld } from "./safety-world.js";

export const PREFIX = "elastic-sentinel";

export function expectExactlyOneOfEach(w: SafetyWorld, context = "", prefix = PREFIX) {
  const c = w.counts(prefix);
  expect(c.connectors, context).toEqual({ [`${prefix}-cases-webhook`]: 1, [`${prefix}-alert-webhook`]: 1 });
  expect(c.rules, context).toEqual({ [`${prefix}-forward-rule`]: 1 });
  expect(c.caseConfigurations, context).toBe(1);
  expect(c.workflows, context).toEqual({
    [`${prefix}-case-sync`]: 1,
    [`${prefix}-case-get`]: 1,
    [`${prefix}-alert-ingest`]: 1,
  });
  expect(c.dcrs, context).toBe(1);
  expect(c.alertRules, context).toBe(1);
  // Sentinel Responder and Reader on the workspace (case-sync, case-get), Monitoring Metrics Publisher on the DCR.
  expect(c.roleAssignments, context).toBe(3);
  expect(c.orphanRoleAssignments, context).toBe(0);
}

/** After teardown (without --delete-data): nothing of this prefix is left, the alerts table aside. */
export function expectNothingLeft(w: SafetyWorld, prefix = PREFIX, context = "") {
  const c = w.counts(prefix);
  expect(
    {
      connectors: c.connectors,
      rules: c.rules,
      workflows: c.workflows,
      dcrs: c.dcrs,
      alertRules: c.alertRules,
      roleAssignments: c.roleAssignments,
      orphanRoleAssignments: c.orphanRoleAssignments,
    },
    context,
  ).toEqual({
    connectors: {},
    rules: {},
    workflows: {},
    dcrs: 0,
    alertRules: 0,
    roleAssignments: 0,
    orphanRoleAssignments: 0,
  });
}

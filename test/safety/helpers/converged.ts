/** What a converged setup (default features, managed identity) leaves: exactly one of each object, nothing else. */
import { expect } from "vitest";
import type { SafetyWorld } from "./safety-world.js";

export const PREFIX = "elastic-sentinel";

export function expectExactlyOneOfEach(w: SafetyWorld, context = "") {
  const c = w.counts(PREFIX);
  expect(c.connectors, context).toEqual({ [`${PREFIX}-cases-webhook`]: 1, [`${PREFIX}-alert-webhook`]: 1 });
  expect(c.rules, context).toEqual({ [`${PREFIX}-forward-rule`]: 1 });
  expect(c.caseConfigurations, context).toBe(1);
  expect(c.workflows, context).toEqual({
    [`${PREFIX}-case-sync`]: 1,
    [`${PREFIX}-case-get`]: 1,
    [`${PREFIX}-alert-ingest`]: 1,
  });
  expect(c.dcrs, context).toBe(1);
  expect(c.alertRules, context).toBe(1);
  // Sentinel Responder and Reader on the workspace (case-sync, case-get), Monitoring Metrics Publisher on the DCR.
  expect(c.roleAssignments, context).toBe(3);
}

import { afterEach, describe, expect, it } from "vitest";
import { wayBackSteps } from "../../../src/steps/way-back/index.js";
import { type FakeEs, type Harness, run, startHarness, verifyAll, wayBackConfig } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Answers a search by whether the query is the "ours" query or its negation, from two document lists. */
function fakeEs(others: number, ours: number): FakeEs & { queries: unknown[] } {
  const queries: unknown[] = [];
  return {
    docs: [],
    queries,
    async search(_index, query) {
      queries.push(query);
      const negated = Array.isArray((query as { bool?: { must_not?: unknown } }).bool?.must_not);
      const n = negated ? others : ours;
      return Array.from({ length: Math.min(n, 1) }, (_, i) => ({
        _id: `d${i}`,
        _index: ".ds-logs-microsoft_sentinel.incident-default",
      })) as never;
    },
  };
}

const byId = (checks: { id: string; status: string }[]) => Object.fromEntries(checks.map((c) => [c.id, c.status]));

describe("verify of the way back", () => {
  it("passes the package, policy and role checks and warns while no agent is enrolled", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const checks = byId(await verifyAll(wayBackSteps, h.ctx()));
    expect(checks["way-back.package-installed"]).toBe("pass");
    expect(checks["way-back.role-assignment"]).toBe("pass");
    expect(checks["way-back.package-policy"]).toBe("pass");
    expect(checks["way-back.assigned"]).toBe("warn");
    expect(checks["way-back.incidents-arriving"]).toBe("skip");
  });

  it("with an enrolled agent, checks that incidents arrive and that none of ours came back", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const policyId = [...h.fleet.state.agentPolicies.keys()][0]!;
    h.fleet.enrollAgent(policyId);
    const es = fakeEs(3, 0);
    const checks = byId(await verifyAll(wayBackSteps, h.ctx(wayBackConfig(), es)));
    expect(checks["way-back.assigned"]).toBe("pass");
    expect(checks["way-back.incidents-arriving"]).toBe("pass");
    expect(checks["way-back.no-echo"]).toBe("pass");
    expect(JSON.stringify(es.queries)).toContain("Elastic Security alert: ");
  });

  it("right after setup, waits a bounded while for the agent's first poll instead of warning at once", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    h.fleet.enrollAgent([...h.fleet.state.agentPolicies.keys()][0]!);
    // Given incidents that arrive after the third pause (the agent's first poll)
    let sleeps = 0;
    const es = fakeEs(0, 0);
    const search = es.search.bind(es);
    es.search = (index, query, o) => (sleeps >= 3 ? fakeEs(2, 0).search(index, query, o) : search(index, query, o));
    const ctx = { ...h.ctx(wayBackConfig(), es), sleep: async () => void sleeps++ };
    const checks = byId(await verifyAll(wayBackSteps, ctx));
    expect(checks["way-back.incidents-arriving"]).toBe("pass");
    expect(sleeps).toBe(3);

    // Given a workspace with no incident at all: the wait ends (a bounded number of pauses) with a warning
    sleeps = 0;
    const none = { ...h.ctx(wayBackConfig(), fakeEs(0, 0)), sleep: async () => void sleeps++ };
    expect(byId(await verifyAll(wayBackSteps, none))["way-back.incidents-arriving"]).toBe("warn");
    expect(sleeps).toBeGreaterThan(3);
    expect(sleeps).toBeLessThanOrEqual(20);
  });

  it("fails when one of our incidents came back into Elastic", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx(wayBackConfig({ sentinelToElastic: { agentPolicyId: "agentless" } })));
    const checks = byId(
      await verifyAll(
        wayBackSteps,
        h.ctx(wayBackConfig({ sentinelToElastic: { agentPolicyId: "agentless" } }), fakeEs(2, 1)),
      ),
    );
    expect(checks["way-back.assigned"]).toBe("pass");
    expect(checks["way-back.no-echo"]).toBe("fail");
  });

  it("fails the package policy check when it is missing", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    h.fleet.state.packagePolicies.clear();
    const checks = byId(await verifyAll(wayBackSteps, h.ctx()));
    expect(checks["way-back.package-policy"]).toBe("fail");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { wayBackSteps } from "../../src/steps/way-back/index.js";
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

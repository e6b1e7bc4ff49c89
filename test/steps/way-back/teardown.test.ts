import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createKibanaHttp } from "../../../src/kibana/http.js";
import { createRouter } from "../../../src/sandbox/common/router.js";
import { createWayBackTeardownSteps, wayBackSteps, wayBackTeardownSteps } from "../../../src/steps/way-back/index.js";
import { type Harness, run, startHarness, wayBackConfig } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("teardown of the way back", () => {
  it("removes the package policy, our agent policy and the role assignment, and leaves the package installed", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const plan = await run(wayBackTeardownSteps, h.ctx());
    expect(plan.filter((c) => c.action === "delete").map((c) => c.resource)).toEqual([
      "package policy (microsoft_sentinel)",
      "agent policy",
      "role assignment (Microsoft Sentinel Reader)",
    ]);
    expect(plan.filter((c) => c.action === "delete").every((c) => c.destructive)).toBe(true);
    expect(h.fleet.state.packagePolicies.size).toBe(0);
    expect(h.fleet.state.agentPolicies.size).toBe(0);
    expect(h.roles.assignments.size).toBe(0);
    expect(h.fleet.state.installed.get("microsoft_sentinel")?.version).toBe("1.2.0");
  });

  it("uninstalls the package only with uninstallPackages", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    await run(createWayBackTeardownSteps({ uninstallPackages: true }), h.ctx());
    expect(h.fleet.state.installed.size).toBe(0);
  });

  it("never deletes an agent policy the user chose", async () => {
    h = await startHarness();
    const theirs = await fetch(`${h.baseUrl}/api/fleet/agent_policies`, {
      method: "POST",
      headers: { "content-type": "application/json", "kbn-xsrf": "t" },
      body: JSON.stringify({ name: "soc-collectors", namespace: "default" }),
    }).then((r) => r.json() as Promise<{ item: { id: string } }>);
    const config = wayBackConfig({ sentinelToElastic: { agentPolicyId: theirs.item.id } });
    await run(wayBackSteps, h.ctx(config));
    await run(wayBackTeardownSteps, h.ctx(config));
    expect(h.fleet.state.packagePolicies.size).toBe(0);
    expect(h.fleet.state.agentPolicies.has(theirs.item.id)).toBe(true);
  });

  it("removes the agentless agent policy Fleet made for our package policy", async () => {
    h = await startHarness();
    const config = wayBackConfig({ sentinelToElastic: { agentPolicyId: "agentless" } });
    await run(wayBackSteps, h.ctx(config));
    expect(h.fleet.state.agentPolicies.size).toBe(1);
    await run(wayBackTeardownSteps, h.ctx(config));
    expect(h.fleet.state.agentPolicies.size).toBe(0);
  });

  it("leaves a same-named package policy without our marker alone", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    const pp = [...h.fleet.state.packagePolicies.values()][0]!;
    pp.description = "made by hand";
    const plan = await run(wayBackTeardownSteps, h.ctx());
    expect(plan.find((c) => c.resource === "package policy (microsoft_sentinel)")?.action).toBe("no-op");
    expect(h.fleet.state.packagePolicies.size).toBe(1);
  });

  it("a second teardown finds nothing to do", async () => {
    h = await startHarness();
    await run(wayBackSteps, h.ctx());
    await run(wayBackTeardownSteps, h.ctx());
    const again = await run(wayBackTeardownSteps, h.ctx());
    expect(again.every((c) => c.action === "no-op")).toBe(true);
  });

  it("on a Kibana without Fleet there is nothing to remove", async () => {
    h = await startHarness();
    const router = createRouter({
      notFound: () => ({ status: 404, body: { statusCode: 404, error: "Not Found", message: "Not Found" } }),
    });
    const server = createServer((req, res) => void router.handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const http = createKibanaHttp({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        space: "default",
        auth: { kind: "apiKey", apiKey: "test-api-key-0001" },
        retry: { maxAttempts: 1 },
      });
      const ctx = h.ctx(wayBackConfig({ features: { sentinelToElastic: false } }));
      (ctx.clients as { kibana: () => Promise<unknown> }).kibana = async () => ({ http });
      const plan = await run(wayBackTeardownSteps, ctx);
      expect(plan.filter((c) => c.target === "fleet").map((c) => c.reason)).toEqual([
        "Fleet is not available in this Kibana",
        "Fleet is not available in this Kibana",
      ]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

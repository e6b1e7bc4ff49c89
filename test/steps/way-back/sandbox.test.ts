/**
 * The way back against the Elastic sandbox (Kibana with the Fleet emulator mounted, Elasticsearch for
 * verify), through the product's real Kibana and Elasticsearch clients; role assignments in memory.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClients } from "../../../src/engine/clients.js";
import type { StepContext } from "../../../src/engine/types.js";
import { resolveNames } from "../../../src/names.js";
import { createElasticsearchClient } from "../../../src/elastic/client.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { createSharedState } from "../../../src/engine/shared-state.js";
import { wayBackSteps } from "../../../src/steps/way-back/index.js";
import { FakeRoleAssignments, CLIENT_ID, run, silentIo, verifyAll, wayBackConfig } from "./helpers.js";

let sb: ElasticSandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

function sandboxCtx(s: ElasticSandbox, roles: FakeRoleAssignments): StepContext {
  const config = wayBackConfig({
    elastic: { kibanaUrl: s.kibanaUrl, elasticsearchUrl: s.elasticsearchUrl, apiKey: s.apiKey, space: "default" },
  });
  const real = createClients(config);
  return {
    config,
    names: resolveNames(config),
    io: silentIo(),
    clients: {
      kibana: real.kibana,
      elasticsearch: real.elasticsearch,
      azure: async () => ({ roleAssignments: roles }) as never,
    },
    shared: createSharedState(),
    signal: new AbortController().signal,
    now: () => s.clock.now(),
    sleep: async () => {},
  };
}

describe("way back against the Elastic sandbox", () => {
  it("creates everything on the first run, changes nothing on the second, and verify sees incidents but no echo", async () => {
    sb = await startElasticSandbox({ kibanaVersion: "9.2.0" });
    const roles = new FakeRoleAssignments();
    roles.addApp(CLIENT_ID);
    const first = await run(wayBackSteps, sandboxCtx(sb, roles));
    expect(first.filter((c) => c.action === "create")).toHaveLength(4);
    const second = await run(wayBackSteps, sandboxCtx(sb, roles));
    expect(second.every((c) => c.action === "no-op")).toBe(true);

    sb.fleet.enrollAgent([...sb.fleet.state.agentPolicies.keys()][0]!);
    const es = await createElasticsearchClient(sandboxCtx(sb, roles).config);
    await es.createDocument("logs-microsoft_sentinel.incident-default", {
      "@timestamp": new Date(sb.clock.now()).toISOString(),
      microsoft_sentinel: { incident: { properties: { title: "Impossible travel" } } },
    });
    let checks = Object.fromEntries(
      (await verifyAll(wayBackSteps, sandboxCtx(sb, roles))).map((c) => [c.id, c.status]),
    );
    expect(checks).toMatchObject({
      "way-back.package-installed": "pass",
      "way-back.role-assignment": "pass",
      "way-back.package-policy": "pass",
      "way-back.assigned": "pass",
      "way-back.incidents-arriving": "pass",
      "way-back.no-echo": "pass",
    });
    await es.createDocument("logs-microsoft_sentinel.incident-default", {
      "@timestamp": new Date(sb.clock.now()).toISOString(),
      microsoft_sentinel: { incident: { properties: { title: "Elastic Security alert: Malware" } } },
    });
    checks = Object.fromEntries((await verifyAll(wayBackSteps, sandboxCtx(sb, roles))).map((c) => [c.id, c.status]));
    expect(checks["way-back.no-echo"]).toBe("fail");
    await es.close();
  });

  it("Fleet not set up in the sandbox: FLEET_NOT_SET_UP, exit 5", async () => {
    sb = await startElasticSandbox({ kibanaVersion: "9.2.0", fleet: { missingRequirements: ["security_required"] } });
    const roles = new FakeRoleAssignments();
    roles.addApp(CLIENT_ID);
    await expect(run(wayBackSteps, sandboxCtx(sb, roles))).rejects.toMatchObject({
      code: "FLEET_NOT_SET_UP",
      exitCode: 5,
    });
  });

  it("an 8.17 stack gets the newest compatible package, 0.4.0", async () => {
    sb = await startElasticSandbox({ kibanaVersion: "8.17.0" });
    const roles = new FakeRoleAssignments();
    roles.addApp(CLIENT_ID);
    await run(wayBackSteps, sandboxCtx(sb, roles));
    expect(sb.fleet.state.installed.get("microsoft_sentinel")?.version).toBe("0.4.0");
  });
});

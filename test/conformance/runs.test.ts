/**
 * Every request shape the tool sends, recorded while it runs against the sandboxes and held to the published
 * contracts (test/contracts/): setup, verify and teardown with managed identity and with OAuth, the NRT and the
 * Scheduled rule, summary and per-alert actions, a second setup with changed options (which replaces the case
 * settings), teardown with and without --delete-data, the way back's package install and agent policy. What the
 * Logic App workflows' HTTP actions send while verify follows the paths is recorded too.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, startWorldCli } from "../demo/world-cli.js";
import { type ContractRecorder, describeBreaches, recordContracts } from "../helpers/contract-recorder.js";

let rec: ContractRecorder;
beforeAll(() => {
  rec = recordContracts();
});
afterAll(() => rec?.stop());

const bodies = (method: string, part: string | RegExp) =>
  rec.find(method, part).map((r) => JSON.parse(r.raw || "null"));

describe("managed identity: NRT and summary, then Scheduled, per-alert and close-by-pushing", () => {
  let w: WorldCli;
  beforeAll(async () => {
    // No agent policy given: the way back creates its own.
    w = await startWorldCli({ "sentinelToElastic.agentPolicyId": undefined });
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("setup sends only what the contracts allow", async () => {
    const r = await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
    expect(r.code, r.stderr).toBe(0);
    expect(describeBreaches(rec.breaches())).toBe("(none)");
    expect(bodies("POST", "/api/fleet/agent_policies").some((b) => b?.name)).toBe(true);
    expect(rec.find("POST", /\/api\/fleet\/epm\/packages\/[^/]+\/[^/]+$/).length).toBeGreaterThan(0);
  }, 60_000);

  it("a second setup with other options (Scheduled, per-alert, close-by-pushing) updates within the contracts, and verify passes", async () => {
    const before = rec.requests.length;
    const changed = [
      "--sentinel-rule-kind",
      "scheduled",
      "--alert-action",
      "per-alert",
      "--closure-type",
      "close-by-pushing",
    ];
    const r = await w.run(["setup", "--yes", "--non-interactive", "--no-verify", ...changed]);
    expect(r.code, r.stderr).toBe(0);
    // verify follows the case path with close-by-pushing: each push closes the test case in Kibana.
    // A generous bound (sandbox time, 60x faster): on a loaded machine the Scheduled rule's first run can come late.
    const v = await w.run(["verify", "--timeout", "1h", ...changed]);
    expect(v.code, v.stderr).toBe(0);
    expect(describeBreaches(rec.breaches())).toBe("(none)");
    // The workflows wrote incidents with PUT (create and updates) and nothing read-only went with them.
    expect(bodies("PUT", /\/providers\/Microsoft\.SecurityInsights\/incidents\/[^/]+$/).length).toBeGreaterThan(1);
    expect(w.world.azure.state.readOnlyIncidentWrites).toEqual([]);
    const later = rec.requests.slice(before);
    const patch = later.find((x) => x.method === "PATCH" && x.path.startsWith("/api/cases/configure/"));
    expect(JSON.parse(patch!.raw).closure_type).toBe("close-by-pushing");
    const rule = later.find((x) => x.method === "PUT" && x.path === "/api/detection_engine/rules");
    expect(JSON.parse(rule!.raw).actions[0].frequency.summary).toBe(false);
    const deployed = later.filter((x) => x.method === "PUT" && /\/deployments\/[^/]+$/.test(x.path)).map((x) => x.raw);
    expect(deployed.join()).toMatch(/"kind":"Scheduled"/);
  }, 120_000);

  it("teardown without --delete-data stays within the contracts and keeps the table", async () => {
    expect((await w.run(["teardown", "--yes", "--non-interactive"])).code).toBe(0);
    expect(describeBreaches(rec.breaches())).toBe("(none)");
    expect(rec.find("DELETE", /\/tables\/[^/]+$/)).toEqual([]);
    expect(rec.find("POST", "/api/fleet/agent_policies/delete").length).toBe(1);
  }, 60_000);
});

function get(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    })
      .on("error", reject)
      .end();
  });
}

describe("OAuth API connection", () => {
  let w: WorldCli;
  beforeAll(async () => {
    w = await startWorldCli({ "sentinel.authorization": "oauth", "features.sentinelToElastic": false });
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("setup asks for consent, completes after it, and teardown --delete-data stays within the contracts", async () => {
    const first = await w.run(["setup", "--yes", "--non-interactive"]);
    expect(first.code).toBe(4);
    const link = /https:\/\/127\.0\.0\.1:\d+\/consent\/\S+/.exec(first.stderr)![0].replace(/[.,;)]+$/, "");
    expect([200, 302]).toContain(await get(link, w.world.azure.caCert));
    const r = await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
    expect(r.code, r.stderr).toBe(0);
    expect((await w.run(["teardown", "--yes", "--non-interactive", "--delete-data"])).code).toBe(0);
    expect(describeBreaches(rec.breaches())).toBe("(none)");
    expect(rec.find("POST", /\/connections\/[^/]+\/listConsentLinks$/).length).toBeGreaterThan(0);
    expect(rec.find("DELETE", /\/tables\/[^/]+$/).length).toBe(1);
  }, 60_000);
});

describe("coverage", () => {
  it("every contract family was exercised by the runs above", () => {
    const families = [...rec.families().keys()];
    expect(families).not.toContain("unknown");
    expect(families).toEqual(
      expect.arrayContaining([
        "sentinel-incidents",
        "sentinel-alert-rules",
        "deployments",
        "role-assignments",
        "logic-workflows",
        "web-connections",
        "data-collection-rules",
        "log-analytics-tables",
        "logs-ingestion",
        "log-analytics-query",
        "kibana-connectors",
        "kibana-cases",
        "kibana-detection-rules",
        "fleet",
        "elasticsearch",
      ]),
    );
  });
});

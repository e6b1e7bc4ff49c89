/**
 * Break one hop at a time in the sandboxes, as a person in a portal or an outage would, and show `verify`
 * naming the broken hop with its remedy and exiting 6; `setup` then repairs it.
 */
import axios from "axios";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, ids, startWorldCli } from "./world-cli.js";

let w: WorldCli;
beforeAll(async () => {
  w = await startWorldCli();
  const r = await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
  if (r.code !== 0) throw new Error(`setup failed: ${r.stderr}`);
}, 90_000);
afterAll(async () => {
  await w?.stop();
});
afterEach(async () => {
  w.world.azure.faults.set(undefined);
  // Repair whatever the test broke; a failed repair shows up in the next test.
  await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
}, 60_000);

interface Doc {
  checks: { id: string; status: string; cause?: string; remedy?: string }[];
  error?: { exitCode: number };
}
async function verify(...args: string[]) {
  const r = await w.run(["verify", "--json", ...args]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc };
}
const failing = (doc: Doc) => doc.checks.filter((c) => c.status === "fail");

describe("verify names the broken hop", () => {
  it("a disabled alert-ingest workflow: drift on the workflow and the connector call fails", async () => {
    const wf = w.world.azure.state.getResource(ids(w.world).workflow("alert-ingest"))!;
    (wf.properties as { state: string }).state = "Disabled";
    const { code, doc } = await verify("--only", "alerts", "--timeout", "2m");
    expect(code).toBe(6);
    const failed = failing(doc);
    expect(failed.map((c) => c.id)).toContain("alerts.execute");
    expect(failed.some((c) => /alert-ingest/.test(`${c.id} ${c.cause}`))).toBe(true);
  }, 60_000);

  it("the workflow identity's Monitoring Metrics Publisher role removed: the run fails at ingestion with 403", async () => {
    const dcr = ids(w.world).dcr.toLowerCase();
    const ra = w.world.azure.state.list("Microsoft.Authorization/roleAssignments").find((r) =>
      String((r.properties as { scope?: string }).scope ?? r.id)
        .toLowerCase()
        .startsWith(dcr),
    );
    expect(ra).toBeDefined();
    const del = await w.arm("DELETE", `${ra!.id}?api-version=2022-04-01`);
    expect(del.status).toBeLessThan(300);
    const { code, doc } = await verify("--only", "alerts", "--timeout", "2m");
    expect(code).toBe(6);
    const hop = doc.checks.find((c) => c.id === "alerts.workflow");
    expect(hop?.status).toBe("fail");
    expect(hop?.cause).toMatch(/403|AuthorizationFailed|Forbidden/i);
    expect(hop?.remedy).toMatch(/Monitoring Metrics Publisher/);
  }, 60_000);

  it("the detection rule disabled: drift on the rule, with setup as the fix", async () => {
    w.world.elastic.state.disableRule("elastic-sentinel-forward-rule");
    const { code, doc } = await verify("--only", "alerts", "--timeout", "2m");
    expect(code).toBe(6);
    const c = failing(doc).find((x) => /forward-rule|detection rule/i.test(`${x.id} ${x.cause}`));
    expect(c?.remedy).toMatch(/sentinel-elastic setup/);
  }, 60_000);

  it("ingestion failing (503s): the workflow run fails after its retries", async () => {
    w.world.azure.faults.set({
      routes: [{ match: /\/dataCollectionRules\/[^/]+\/streams\//, errorRate: 1, kinds: [503] }],
    });
    const { code, doc } = await verify("--only", "alerts", "--timeout", "5m");
    expect(code).toBe(6);
    expect(doc.checks.find((c) => c.id === "alerts.workflow")?.status).toBe("fail");
  }, 60_000);

  it("the NRT analytics rule disabled: the row lands but no incident is raised", async () => {
    const [rule] = w.world.azure.state.listAlertRules(ids(w.world).ws);
    (rule!.properties as { enabled: boolean }).enabled = false;
    // --timeout is real time (the sandboxes compress their own waits, not the caller's): long enough for the row
    // to land (a compressed rule interval and ingestion latency, a few seconds), then the missing incident fails.
    const { code, doc } = await verify("--only", "alerts", "--timeout", "15s");
    expect(code).toBe(6);
    expect(doc.checks.find((c) => c.id === "alerts.row")?.status).toBe("pass");
    expect(doc.checks.find((c) => c.id === "alerts.incident")).toMatchObject({ status: "fail" });
  }, 60_000);

  it("the alert connector pointing at a dead URL: the connector call fails and the connector drifts", async () => {
    // As a person editing the URL in Kibana's connector form would: the rest of the config (our marker header
    // among it) stays as it was.
    const url = `${w.world.elastic.kibanaUrl}/api/actions/connector/elastic-sentinel-alert-webhook`;
    const headers = { authorization: `ApiKey ${w.world.elastic.apiKey}`, "kbn-xsrf": "true" };
    const current = (await axios.get(url, { headers })).data as { name: string; config: Record<string, unknown> };
    await axios.put(
      url,
      { name: current.name, config: { ...current.config, url: "http://127.0.0.1:9/" }, secrets: {} },
      { headers },
    );
    const { code, doc } = await verify("--only", "alerts", "--timeout", "2m");
    expect(code).toBe(6);
    expect(doc.checks.find((c) => c.id === "alerts.execute")?.status).toBe("fail");
  }, 60_000);

  it("after setup repairs everything, verify passes again", async () => {
    const { code, doc } = await verify("--only", "alerts", "--timeout", "5m");
    expect(failing(doc)).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);
});

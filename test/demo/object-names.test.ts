/**
 * Every object is named the same way in every command: setup's plan, its apply lines and teardown's plan name
 * role assignments by role, holder and scope, and the analytics rule by its display name, never by a GUID.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, startWorldCli } from "./world-cli.js";

let w: WorldCli;
beforeAll(async () => {
  w = await startWorldCli();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

type Row = { action: string; resource: string; name: string };
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const rolesAndRules = (rows: Row[]) =>
  rows
    .filter((r) => /^role assignment|analytics rule/.test(r.resource))
    .map((r) => `${r.resource.replace(/ \((NRT|Scheduled)\)$/, "")} | ${r.name}`)
    .sort();

describe("object names", () => {
  it("are the same in setup's plan, its apply lines and teardown's plan, and none is a GUID", async () => {
    const plan = JSON.parse((await w.run(["plan", "--json"])).stdout).plan as Row[];
    const planned = rolesAndRules(plan);
    expect(planned).toEqual([
      "Sentinel analytics rule | Elastic Security alerts (elastic-sentinel)",
      "role assignment (Microsoft Sentinel Reader) | elastic-sentinel-case-get on sentinel-demo",
      "role assignment (Microsoft Sentinel Reader) | the integration's app registration on sentinel-demo",
      "role assignment (Microsoft Sentinel Responder) | elastic-sentinel-case-sync on sentinel-demo",
      "role assignment (Monitoring Metrics Publisher) | elastic-sentinel-alert-ingest on elastic-sentinel-alerts-dcr",
    ]);

    const setup = await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stderr).toContain("create elastic-sentinel-case-get on sentinel-demo");
    expect(setup.stderr).not.toMatch(/create on sentinel-demo, create on sentinel-demo/);

    const teardown = JSON.parse((await w.run(["teardown", "--dry-run", "--json"])).stdout).plan as Row[];
    expect(rolesAndRules(teardown)).toEqual(planned);
    for (const r of [...plan, ...teardown].filter((x) => /role assignment|analytics rule/.test(x.resource)))
      expect(r.name).not.toMatch(GUID);
  }, 180_000);
});

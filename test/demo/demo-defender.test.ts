/**
 * `demo --portal defender`: the sandbox workspace is onboarded to the Defender portal; setup tells so itself
 * (sentinel.portal auto), deploys Defender-mode case sync, and every verify hop passes by Defender's evidence.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, requireBuiltCli, runBuiltCli } from "../helpers/built-cli.js";

beforeAll(() => requireBuiltCli());

const HOPS = [
  "Kibana: push the case through the connector",
  "Defender: the case's incident is in the Defender incident queue",
  "Defender: a case comment reaches the incident (Microsoft Graph)",
  "Defender: case in progress → incident In progress (Microsoft Graph)",
  "Defender: case closed → incident resolved (Sentinel shows Closed)",
  "Log Analytics: the alert's row in ElasticAlerts_CL",
  "Defender: an incident raised by the analytics rule (or grouped into one)",
];
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("demo --portal defender", () => {
  it("detects the Defender portal and passes every hop, with Defender links", async () => {
    const r = await runBuiltCli(["demo", "--portal", "defender"], { env: cleanEnv({ NO_COLOR: "1" }) });
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Sentinel portal: defender (incident 1 reports the provider "Microsoft XDR"');
    expect(r.stderr).not.toContain("2027-03-31");
    for (const hop of HOPS) expect(r.stdout).toMatch(new RegExp(`PASS\\s+${literal(hop)}`));
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(/\/defender\/incidents\/\d+\?tid=[0-9a-f-]{36}/);
    expect(r.stdout).not.toMatch(/Sentinel: incident created with the case's fields/);
  }, 120_000);

  it("the default demo (Azure portal) warns of the Azure portal's retirement once", async () => {
    const r = await runBuiltCli(["demo"], { env: cleanEnv({ NO_COLOR: "1" }) });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/2027-03-31/g)).toHaveLength(1);
  }, 120_000);
});

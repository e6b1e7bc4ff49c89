/**
 * `npx sentinel-elastic demo` as a newcomer runs it: the built CLI as a process, no accounts, no network beyond
 * loopback. It must print a passing verification of both paths (and, with --json, one document saying so).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, requireBuiltCli, runBuiltCli } from "../helpers/built-cli.js";

beforeAll(() => requireBuiltCli());

const HOPS = [
  "Kibana: push the case through the connector",
  "Sentinel: incident created with the case's fields",
  "Sentinel: a case comment arrives on the incident",
  "Sentinel: case in progress → incident Active",
  "Sentinel: case closed → incident Closed",
  "Logic App: elastic-sentinel-alert-ingest run succeeded",
  "Log Analytics: the alert's row in ElasticAlerts_CL",
  "Sentinel: an incident raised by the analytics rule",
  "Kibana: our rule raised an alert for the document",
];

describe("demo", () => {
  it("runs setup against the sandboxes and prints a passing verification of both paths", async () => {
    const r = await runBuiltCli(["demo"], { env: cleanEnv({ NO_COLOR: "1" }) });
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Plan: \d+ to create/);
    for (const hop of HOPS)
      expect(r.stdout).toMatch(new RegExp(`PASS\\s+${hop.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    // A clean demo is clean: only PASS rows (no WARN for a rule run before its data, or an agent not polled yet).
    expect(r.stdout).not.toMatch(/^(FAIL|WARN)/m);
    expect(r.stdout).toMatch(/PASS\s+Detection rule's last run\s+succeeded/);
    // The test document comes before the rule in the plan, so the rule's first run finds it.
    expect(r.stdout.indexOf("test document")).toBeLessThan(r.stdout.indexOf("detection rule (query)"));
    expect(r.stderr).toContain("Both paths work end to end");
    expect(r.stderr).toMatch(/durations below are real/);
  }, 120_000);

  it("--json prints exactly one JSON document with the plan, the resources and passing checks", async () => {
    const r = await runBuiltCli(["demo", "--json"], { env: cleanEnv() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      schemaVersion: number;
      plan: unknown[];
      resources: unknown[];
      checks: { id: string; status: string }[];
    };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.plan.length).toBeGreaterThan(10);
    expect(doc.resources.length).toBeGreaterThan(10);
    expect(doc.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(doc.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(["case.closed", "alerts.incident", "full.incident"]),
    );
  }, 120_000);
});

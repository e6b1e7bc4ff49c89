/**
 * What the tables say: WARN rows give their cause and remedy like FAIL, the summary counts warnings, tables fit
 * the terminal (the middle of a long id goes, the remedy wraps under itself) and the path checks are grouped.
 */
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import type { Change, Check } from "../../src/engine/types.js";
import { formatChecks, formatPlan, summarizeChecks } from "../../src/io/format.js";
import { truncateMiddle, wrap } from "../../src/io/table.js";
import { expectGolden } from "../helpers/golden.js";

const plain = new Chalk({ level: 0 });
const golden = (name: string) => new URL(`./goldens/${name}`, import.meta.url);

const WORKFLOW_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-sentinel-elastic-demo/providers/Microsoft.Logic/workflows/se-demo-case-sync";
const CALLBACK =
  "https://127.0.0.1:44123/workflows/7f1c0c4e9a2b4d1e8f3a/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0";

const checks: Check[] = [
  {
    id: "kibana-case-connector.exists",
    title: "Kibana: case connector se-demo",
    status: "pass",
    evidence: "connector 4f2b",
  },
  {
    id: "kibana-case-settings.connector",
    title: "Kibana case settings (default connector)",
    status: "warn",
    cause: "the default connector is Jira",
    remedy: "Choose the Sentinel connector per case, or re-run setup and confirm the replacement.",
  },
  { id: "case.create", title: "Kibana: create a test case", status: "pass", durationMs: 120, evidence: "case 9d1e" },
  {
    id: "case.incident",
    title: "Sentinel: incident created with the case's fields",
    status: "fail",
    durationMs: 900_000,
    cause: "incident 9d1e not found in Sentinel",
    remedy:
      "Check the case-sync Logic App's run history in the Azure portal (se-demo-case-sync), then re-run `sentinel-elastic setup`.",
  },
  {
    id: "alerts.row",
    title: "Log Analytics: the alert's row in SentinelElastic_CL",
    status: "pass",
    durationMs: 61_000,
    evidence: "row AlertId=se-verify-1",
  },
  {
    id: "alerts.incident",
    title: "Sentinel: an incident raised by the analytics rule",
    status: "pass",
    durationMs: 64_000,
    evidence: `incident ${WORKFLOW_ID}`,
  },
  {
    id: "full.row",
    title: "Log Analytics: the alert's row in SentinelElastic_CL",
    status: "skip",
    evidence: "an earlier hop of this path failed",
  },
  {
    id: "full.incident",
    title: "Sentinel: an incident raised by the analytics rule",
    status: "skip",
    evidence: "an earlier hop of this path failed",
  },
];

const changes: Change[] = [
  {
    step: "azure-deploy",
    target: "azure",
    resource: "Logic App workflow",
    name: "se-demo-case-sync",
    action: "create",
    reason: "does not exist",
  },
  {
    step: "azure-deploy",
    target: "azure",
    resource: "role assignment (Microsoft Sentinel Responder)",
    name: "for se-demo-case-sync on sentinel-demo",
    action: "create",
    reason: "does not exist",
  },
  {
    step: "kibana-alert-connector",
    target: "kibana",
    resource: "connector (.webhook)",
    name: CALLBACK,
    action: "update",
    reason: "its URL differs from the alert-ingest Logic App's callback URL",
  },
];

describe("check table", () => {
  it("gives WARN rows their cause and remedy, and counts warnings in the summary", () => {
    const text = formatChecks(checks.slice(0, 2), plain);
    expect(text).toMatch(/WARN +Kibana case settings \(default connector\)/);
    expect(text).toContain("the default connector is Jira → Choose the Sentinel connector per case");
    expect(text).toContain("Checks: 1 of 2 passed, 1 warning.");
  });

  it("counts every status: passed, warnings, failed, skipped", () => {
    expect(summarizeChecks(checks)).toBe("Checks: 4 of 8 passed, 1 warning, 1 failed, 2 skipped.");
  });

  it("groups the rows by path, so the two 'the alert's row' rows say which path they are (golden, full width)", () => {
    expectGolden(formatChecks(checks, plain), golden("checks-wide.txt"));
  });

  it("fits 100 columns: ids lose their middle, the remedy wraps under its column (golden)", () => {
    const text = formatChecks(checks, plain, { columns: 100 });
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text).not.toContain("……");
    expectGolden(text, golden("checks-100.txt"));
  });

  it("a table of configuration checks only has no path headings", () => {
    expect(formatChecks(checks.slice(0, 2), plain)).not.toContain("path");
  });
});

describe("plan table", () => {
  it("fits 132 columns: the callback URL loses its middle, the role assignment keeps role and principal (golden)", () => {
    const text = formatPlan(changes, plain, { columns: 132 });
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(132);
    expect(text).toContain("for se-demo-case-sync on sentinel-demo");
    expectGolden(text, golden("plan-132.txt"));
  });

  it("fits 80 columns", () => {
    for (const line of formatPlan(changes, plain, { columns: 80 }).split("\n"))
      expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it("without a width (a pipe, --debug) every value is printed in full", () => {
    expect(formatPlan(changes, plain)).toContain(CALLBACK);
  });
});

describe("truncateMiddle and wrap", () => {
  it("keeps the start and the end, with one ellipsis", () => {
    const cut = truncateMiddle(WORKFLOW_ID, 60);
    expect(cut).toHaveLength(60);
    expect(cut.startsWith("/subscriptions/0000")).toBe(true);
    expect(cut.endsWith("workflows/se-demo-case-sync")).toBe(true);
    expect(cut.match(/…/g)).toHaveLength(1);
  });

  it("wraps words, and cuts a word longer than the line in its middle", () => {
    const lines = wrap(`see ${WORKFLOW_ID} and re-run setup`, 30);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
    expect(lines.join(" ")).toContain("re-run setup");
  });
});

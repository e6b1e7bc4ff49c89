import { describe, expect, it } from "vitest";
import { checkTransformKql } from "../../../src/sandbox/azure/data/index.js";
import { createWorld, TRANSFORM, WS_ID } from "./world.js";

const STREAM_COLUMNS = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "Severity", type: "string" },
  { name: "Raw", type: "dynamic" },
];

describe("checks the control plane runs when resources are written", () => {
  it("a DCR transformation that compiles against its stream reports its output columns", () => {
    const res = checkTransformKql("source | extend HostName = tostring(Raw.host.name)", STREAM_COLUMNS);
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.columns.map((c) => c.name)).toEqual(["TimeGenerated", "Severity", "Raw", "HostName"]);
  });

  it("a DCR transformation naming a column its stream lacks is refused with the column named", () => {
    const res = checkTransformKql("source | extend X = tostring(Nope)", STREAM_COLUMNS);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toContain("'Nope'");
  });

  it("the test DCR's own transformation compiles", () => {
    expect(
      checkTransformKql(TRANSFORM, [
        ...STREAM_COLUMNS,
        { name: "RuleName", type: "string" },
        { name: "AlertId", type: "string" },
      ]).ok,
    ).toBe(true);
  });

  it("a rule query over a table the workspace lacks is refused; over an existing table it compiles", () => {
    const w = createWorld();
    const bad = w.plane.checkQuery(WS_ID, "Missing_CL | take 1");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain("'Missing_CL'");
    expect(w.plane.checkQuery(WS_ID, "ElasticAlerts_CL | where isnotempty(AlertId) | project AlertId").ok).toBe(true);
    expect(w.plane.checkQuery(WS_ID, "SecurityIncident | project Title").ok).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { KqlError, parseKql, type Timespan } from "../../../src/sandbox/azure/data/index.js";
import { accepted, col, EVENTS, KUSTO_TABLES, kql, NOW } from "./kql-fixtures.js";
import { kustoDiagnostics } from "./kusto-parse.js";

function kqlError(query: string): KqlError {
  try {
    kql(query);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`expected '${query}' to fail`);
}

describe("KQL subset: filtering", () => {
  it("== is case-sensitive and =~ is not", () => {
    expect(col(kql("Events | where User == 'Alice'"), "User")).toEqual([]);
    expect(col(kql("Events | where User =~ 'ALICE'"), "User")).toEqual(["alice", "alice"]);
    expect(col(kql("Events | where User != 'alice'"), "User")).toEqual(["bob", "carol"]);
    expect(col(kql("Events | where User !~ 'ALICE'"), "User")).toEqual(["bob", "carol"]);
  });

  it("has matches whole terms only, case-insensitively", () => {
    expect(col(kql("Events | where Host has 'CONTOSO'"), "Host")).toEqual(["web-01.contoso.com"]);
    expect(col(kql("Events | where Host has 'conto'"), "Host")).toEqual([]);
    expect(col(kql("Events | where Host !has 'web'"), "Host")).toEqual(["db-01", ""]);
  });

  it("contains, startswith and endswith are case-insensitive substring tests", () => {
    expect(col(kql("Events | where Host contains 'CONTO'"), "Host")).toEqual(["web-01.contoso.com"]);
    expect(col(kql("Events | where Host !contains 'web'"), "Host")).toEqual(["db-01", ""]);
    expect(col(kql("Events | where Host startswith 'WEB'"), "Host")).toEqual(["web-01.contoso.com", "web-02"]);
    expect(col(kql("Events | where Host endswith '01'"), "Host")).toEqual(["db-01"]);
  });

  it("has_any and has_all match whole terms from a list", () => {
    expect(col(kql("Events | where Host has_any ('contoso', 'db')"), "User")).toEqual(["alice", "bob"]);
    expect(col(kql("Events | where Host has_all ('web', 'contoso')"), "User")).toEqual(["alice"]);
  });

  it("in and !in compare against a list", () => {
    expect(col(kql("Events | where Severity in ('high', 'critical')"), "User")).toEqual(["alice", "alice"]);
    expect(col(kql("Events | where Severity !in ('high', 'critical')"), "User")).toEqual(["bob", "carol"]);
    expect(col(kql("Events | where Severity in~ ('HIGH')"), "User")).toEqual(["alice"]);
  });

  it("numeric comparisons, and, or and not() combine", () => {
    expect(col(kql("Events | where RiskScore >= 47 and RiskScore < 99"), "RiskScore")).toEqual([73, 47]);
    expect(col(kql("Events | where RiskScore > 90 or Bytes <= 0"), "RiskScore")).toEqual([99, 47]);
    expect(col(kql("Events | where not(Ok)"), "User")).toEqual(["bob", "carol"]);
  });

  it("ago() and now() read the sandbox clock", () => {
    expect(col(kql("Events | where TimeGenerated > ago(1h)"), "User")).toEqual(["alice", "bob"]);
    expect(col(kql("Events | where TimeGenerated >= now(-1d)"), "User")).toEqual(["alice", "bob", "alice", "carol"]);
    expect(col(kql("Events | where TimeGenerated between (ago(4h) .. now())"), "Bytes")).toEqual([1000, 50, 7]);
  });

  it("isempty, isnotempty, isnull and isnotnull tell empty strings from nulls", () => {
    expect(col(kql("Events | where isempty(Host)"), "User")).toEqual(["carol"]);
    expect(col(kql("Events | where isnotempty(Host)"), "User")).toEqual(["alice", "bob", "alice"]);
    expect(col(kql("Events | where isnull(Raw)"), "User")).toEqual(["alice"]);
    expect(col(kql("Events | where isnotnull(Raw)"), "User")).toEqual(["alice", "bob", "carol"]);
  });

  it("datetime literals compare with datetime columns", () => {
    expect(col(kql("Events | where TimeGenerated < datetime(2026-11-27)"), "User")).toEqual(["carol"]);
    expect(col(kql("Events | where TimeGenerated == datetime(2026-11-27T09:00:00Z)"), "User")).toEqual(["alice"]);
    expect(col(kql('Events | where TimeGenerated >= datetime("2026-11-27 11:30")'), "User")).toEqual(["alice", "bob"]);
  });
});

describe("KQL subset: dynamic values", () => {
  it("property access reads nested dynamic values by dot and by brackets", () => {
    expect(col(kql("Events | where Raw.host.name == 'web-01' | project User"), "User")).toEqual(["alice"]);
    expect(col(kql("Events | extend n = Raw['x-y'] | where isnotnull(n) | project n"), "n")).toEqual([1]);
    expect(col(kql("Events | extend t = Raw.tags[1] | take 1"), "t")).toEqual(["b"]);
  });

  it("an unnamed property access is named by its path", () => {
    const out = kql("Events | project Raw.host.name | take 1");
    expect(out.columns).toEqual([{ name: "Raw_host_name", type: "dynamic" }]);
    expect(out.rows[0]).toEqual({ Raw_host_name: "web-01" });
  });

  it("dynamic literals accept JSON and single-quoted strings; bracket access takes double quotes too", () => {
    const out = kql(
      `Events | take 1 | project a = dynamic(['x', "y"]), b = dynamic({"k": [1]}), c = Raw["x-y"], d = Raw.host["name"]`,
    );
    expect(out.rows[0]).toEqual({ a: ["x", "y"], b: { k: [1] }, c: 1, d: "web-01" });
  });

  it("parse_json and todynamic turn JSON text into dynamic values", () => {
    const out = kql(
      `Events | take 1 | extend j = parse_json('{"a":{"b":[1,2]}}'), k = todynamic('[3]') | project b = j.a.b[1], k`,
    );
    expect(out.rows[0]).toEqual({ b: 2, k: [3] });
  });
});

describe("KQL subset: shaping", () => {
  it("project keeps and orders the named columns with their types", () => {
    const out = kql("Events | project User, Score = RiskScore * 2, Host | take 1");
    expect(out.columns).toEqual([
      { name: "User", type: "string" },
      { name: "Score", type: "long" },
      { name: "Host", type: "string" },
    ]);
    expect(out.rows[0]).toEqual({ User: "alice", Score: 146, Host: "web-01.contoso.com" });
  });

  it("project-away drops columns and extend adds or replaces them", () => {
    const out = kql(
      "Events | project-away Raw, Ok, Ratio | extend Severity = toupper(Severity), Risky = RiskScore > 50 | take 1",
    );
    expect(out.columns.map((c) => c.name)).toEqual([
      "TimeGenerated",
      "Host",
      "User",
      "Severity",
      "RiskScore",
      "Bytes",
      "Risky",
    ]);
    expect(out.rows[0]!.Severity).toBe("HIGH");
    expect(out.rows[0]!.Risky).toBe(true);
  });

  it("take and limit return the first rows", () => {
    expect(kql("Events | take 2").rows).toHaveLength(2);
    expect(kql("Events | limit 3").rows).toHaveLength(3);
  });

  it("top N by x returns the largest first, or the smallest with asc", () => {
    expect(col(kql("Events | top 2 by RiskScore"), "RiskScore")).toEqual([99, 73]);
    expect(col(kql("Events | top 2 by RiskScore asc"), "RiskScore")).toEqual([21, 47]);
  });

  it("order by sorts descending by default, and by several keys", () => {
    expect(col(kql("Events | order by TimeGenerated"), "Bytes")).toEqual([1000, 50, 7, 0]);
    expect(col(kql("Events | sort by User asc, RiskScore desc"), "RiskScore")).toEqual([99, 73, 21, 47]);
  });

  it("summarize count() by a column names the result count_", () => {
    const out = kql("Events | summarize count() by User | order by User asc");
    expect(out.columns).toEqual([
      { name: "User", type: "string" },
      { name: "count_", type: "long" },
    ]);
    expect(out.rows).toEqual([
      { User: "alice", count_: 2 },
      { User: "bob", count_: 1 },
      { User: "carol", count_: 1 },
    ]);
  });

  it("summarize max, min and dcount with default and explicit names", () => {
    const out = kql("Events | summarize max(RiskScore), min(TimeGenerated), Users = dcount(User)");
    expect(out.columns).toEqual([
      { name: "max_RiskScore", type: "int" },
      { name: "min_TimeGenerated", type: "datetime" },
      { name: "Users", type: "long" },
    ]);
    expect(out.rows[0]!.max_RiskScore).toBe(99);
    expect((out.rows[0]!.min_TimeGenerated as Date).toISOString()).toBe("2026-11-26T12:00:00.000Z");
    expect(out.rows[0]!.Users).toBe(3);
  });

  it("summarize by bin() groups datetimes into buckets named after the column", () => {
    const out = kql("Events | summarize n = count() by bin(TimeGenerated, 1d) | order by TimeGenerated asc");
    expect(out.columns[0]).toEqual({ name: "TimeGenerated", type: "datetime" });
    expect(col(out, "n")).toEqual([1, 3]);
  });

  it("arg_max(x, *) keeps the whole row with the largest x per group", () => {
    const out = kql(
      "Events | summarize arg_max(RiskScore, *) by User | order by User asc | project User, RiskScore, Host",
    );
    expect(out.rows).toEqual([
      { User: "alice", RiskScore: 99, Host: "web-02" },
      { User: "bob", RiskScore: 21, Host: "db-01" },
      { User: "carol", RiskScore: 47, Host: "" },
    ]);
    const min = kql("Events | summarize arg_min(TimeGenerated, Host)");
    expect(min.columns.map((c) => c.name)).toEqual(["TimeGenerated", "Host"]);
    expect(min.rows[0]!.Host).toBe("");
  });

  it("summarize with no by over no rows still yields one row", () => {
    expect(kql("Events | where User == 'nobody' | summarize count()").rows).toEqual([{ count_: 0 }]);
  });

  it("distinct returns unique combinations", () => {
    expect(col(kql("Events | distinct User | order by User asc"), "User")).toEqual(["alice", "bob", "carol"]);
  });

  it("count returns the number of rows in a Count column", () => {
    expect(kql("Events | where Ok | count").rows).toEqual([{ Count: 2 }]);
  });
});

describe("KQL subset: scalar functions", () => {
  it("iif, case and coalesce choose values", () => {
    const out = kql(`Events
      | extend Sev = case(Severity == 'critical', 'High', Severity == 'high', 'High', Severity == 'medium', 'Medium', 'Low'),
               Label = iif(Ok, 'ok', 'bad'), H = coalesce(Host, User)
      | project Sev, Label, H`);
    expect(col(out, "Sev")).toEqual(["High", "Low", "High", "Medium"]);
    expect(col(out, "Label")).toEqual(["ok", "bad", "ok", "bad"]);
    expect(col(out, "H")).toEqual(["web-01.contoso.com", "db-01", "web-02", "carol"]);
  });

  it("conversions: todatetime, tostring, toint, tolong, toreal, tobool", () => {
    const out = kql(`Events | take 1
      | project d = todatetime('2026-01-02T03:04:05Z'), s = tostring(RiskScore), i = toint('42'), l = tolong(Bytes),
                r = toreal('1.5'), b = tobool('true'), bad = toint('x')`);
    expect(out.columns.map((c) => c.type)).toEqual(["datetime", "string", "int", "long", "real", "bool", "int"]);
    expect(out.rows[0]).toEqual({
      d: new Date("2026-01-02T03:04:05Z"),
      s: "73",
      i: 42,
      l: 1000,
      r: 1.5,
      b: true,
      bad: null,
    });
  });

  it("strcat, tolower and toupper build strings", () => {
    expect(
      col(kql("Events | take 1 | project x = strcat(toupper(User), '@', tolower('HOST'), RiskScore)"), "x"),
    ).toEqual(["ALICE@host73"]);
  });

  it("timespan literals and datetime arithmetic", () => {
    const out = kql("Events | take 1 | project age = now() - TimeGenerated, later = TimeGenerated + 1h, span = 90s");
    expect(out.columns.map((c) => c.type)).toEqual(["timespan", "datetime", "timespan"]);
    expect((out.rows[0]!.age as Timespan).ms).toBe(2 * 60_000);
    expect((out.rows[0]!.later as Date).toISOString()).toBe("2026-11-27T12:58:00.000Z");
    expect((out.rows[0]!.span as Timespan).ms).toBe(90_000);
  });

  it("bin rounds numbers down to the bucket size", () => {
    expect(col(kql("Events | project b = bin(RiskScore, 10)"), "b")).toEqual([70, 20, 90, 40]);
  });

  it("source is the input table of a DCR transformation", () => {
    const out = kql(
      "source | extend TimeGenerated = iif(isnull(TimeGenerated), now(), TimeGenerated) | project TimeGenerated",
      {
        source: { columns: [{ name: "TimeGenerated", type: "datetime" }], rows: [{ TimeGenerated: null }] },
      },
    );
    expect(out.rows[0]!.TimeGenerated).toEqual(new Date(NOW));
  });
});

describe("KQL subset: errors", () => {
  it("an unknown column is a semantic error naming it", () => {
    const e = kqlError("Events | where Nope == 1");
    expect(e.kind).toBe("SemanticError");
    expect(e.message).toContain("'Nope'");
  });

  it("an unknown table is a semantic error naming it", () => {
    expect(kqlError("Nope | take 1").message).toContain("'Nope'");
  });

  it("unsupported operators and functions fail with an error naming the construct", () => {
    for (const [q, name] of [
      ["Events | join (Events) on User", "'join'"],
      ["Events | mv-expand Raw", "'mv-expand'"],
      ["Events | extend x = base64_encode_tostring(User)", "'base64_encode_tostring()'"],
      ["Events | summarize percentile(RiskScore, 50)", "'percentile()'"],
      ["union Events, Events", "'union'"],
    ] as const) {
      const e = kqlError(q);
      expect(e.kind).toBe("UnsupportedError");
      expect(e.message).toContain(name);
    }
  });

  it("syntax errors are reported with their position", () => {
    const e = kqlError("Events | where (User == 'a'");
    expect(e.kind).toBe("SyntaxError");
    expect(e.position).toBeGreaterThan(0);
  });

  it("operand and argument types are checked as Kusto does (string operators need strings, ago() a timespan, …)", () => {
    for (const q of [
      "Events | where RiskScore has '7'",
      "Events | where User =~ 5",
      "Events | where TimeGenerated > '2026-01-01'",
      "Events | where Bytes > 1h",
      "Events | where TimeGenerated > ago(5)",
      "Events | extend x = iif(User, 1, 2)",
      "Events | extend x = coalesce(User, 1)",
      "Events | extend x = bin(TimeGenerated, 1)",
      "Events | extend x = parse_json(RiskScore)",
      "Events | extend x = array_length(User)",
    ]) {
      const e = kqlError(q);
      expect(e.kind).toBe("SemanticError");
      expect(e.message).toMatch(/not defined for the operand types|expected|common type|compatible|must/);
      expect(kustoDiagnostics(q, KUSTO_TABLES)).not.toEqual([]);
    }
  });

  it("an aggregation outside summarize is refused", () => {
    expect(kqlError("Events | extend c = count()").message).toContain("summarize");
  });

  it("parseKql returns the table and the operators", () => {
    const q = parseKql("Events | where Ok | take 5");
    expect(q.source).toBe("Events");
    expect(q.ops.map((o) => o.op)).toEqual(["where", "take"]);
  });
});

describe("the KQL subset never accepts invalid KQL", () => {
  it("every query accepted above is also valid for Microsoft's Kusto parser", () => {
    expect(accepted.length).toBeGreaterThan(30);
    const tables = { ...KUSTO_TABLES, source: "(['TimeGenerated']:datetime)" };
    const invalid = accepted
      .map((q) => ({ q, errors: kustoDiagnostics(q, tables) }))
      .filter((x) => x.errors.length > 0);
    expect(invalid).toEqual([]);
  });

  it("the checker itself rejects invalid KQL", () => {
    expect(kustoDiagnostics("Events | where Nope == 1", KUSTO_TABLES)).not.toEqual([]);
    expect(kustoDiagnostics("Events | wher User == 'a'", KUSTO_TABLES)).not.toEqual([]);
  });
});

void EVENTS;

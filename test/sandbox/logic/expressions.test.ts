import { describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, runOnce, workflow } from "./helpers.js";

/** Evaluate expressions by running a workflow whose Compose actions hold them. */
async function evaluate(
  exprs: Record<string, unknown>,
  body: unknown = {},
  extra: { query?: Record<string, string> } = {},
) {
  const host = createTestHost();
  const rt = createLogicRuntime(host);
  const actions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exprs)) actions[k] = { type: "Compose", inputs: v };
  const { run } = await runOnce(rt, workflow(definition(actions)), post(body, { query: extra.query ?? {} }));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(exprs)) {
    const a = run!.actions[k]!;
    out[k] = a.status === "Succeeded" ? a.outputs : `${a.status}: ${a.error?.message}`;
  }
  return out;
}

describe("Logic Apps expressions", () => {
  it("'@expr' keeps the value's type, '@{expr}' makes a string, '@@' escapes", async () => {
    const r = await evaluate(
      {
        whole: "@triggerBody()?['n']",
        interp:
          "n=@{triggerBody()?['n']} o=@{triggerBody()?['o']} b=@{triggerBody()?['b']} nil=@{triggerBody()?['none']}",
        onlyInterp: "@{triggerBody()?['n']}",
        escaped: "@@triggerBody()",
        escapedInterp: "a @@{x} b",
        plain: "user@example.com",
      },
      { n: 42, o: { a: 1 }, b: true },
    );
    expect(r.whole).toBe(42);
    expect(r.interp).toBe('n=42 o={"a":1} b=True nil=');
    expect(r.onlyInterp).toBe("42");
    expect(r.escaped).toBe("@triggerBody()");
    expect(r.escapedInterp).toBe("a @{x} b");
    expect(r.plain).toBe("user@example.com");
  });

  it("'?' returns null for a missing property; without it the action fails with InvalidTemplate", async () => {
    const r = await evaluate(
      { safe: "@triggerBody()?['missing']?['deeper']", unsafe: "@triggerBody()['missing']" },
      { a: 1 },
    );
    expect(r.safe).toBeNull();
    expect(r.unsafe).toMatch(
      /^Failed: Unable to process template language expressions in action 'unsafe' inputs .*property 'missing' doesn't exist, available properties are 'a'/,
    );
  });

  it("'.prop' and ['prop'] indexers, integer array indexes, and case-insensitive function names", async () => {
    const r = await evaluate(
      { dot: "@triggerBody().a.b", idx: "@triggerBody()['list'][1]", ci: "@TOLOWER(triggerbody()?['s'])" },
      { a: { b: "x" }, list: [1, 2], s: "AbC" },
    );
    expect(r).toEqual({ dot: "x", idx: 2, ci: "abc" });
  });

  it("triggerOutputs() exposes queries and headers; trigger() names the trigger", async () => {
    const r = await evaluate(
      {
        q: "@triggerOutputs()['queries']['sentinel_incident_id']",
        qCase: "@triggerOutputs()['Queries']['sentinel_incident_id']",
        h: "@triggerOutputs()?['headers']?['content-type']",
        t: "@trigger()['name']",
      },
      {},
      { query: { sentinel_incident_id: "abc" } },
    );
    expect(r).toEqual({ q: "abc", qCase: "abc", h: "application/json", t: "manual" });
  });

  it("logical and comparison functions", async () => {
    const r = await evaluate(
      {
        a: "@and(equals(1, 1), or(false, not(false)))",
        b: "@createArray(greater(2, 1), less(1, 2), greaterOrEquals(2, 2), lessOrEquals('a', 'b'))",
        c: "@if(equals(triggerBody()?['s'], 'x'), 'yes', 'no')",
        d: "@coalesce(null, triggerBody()?['none'], 'third')",
        e: "@equals(createArray(1, json('{\"a\":1}')), json('[1,{\"a\":1}]'))",
      },
      { s: "x" },
    );
    expect(r).toEqual({ a: true, b: [true, true, true, true], c: "yes", d: "third", e: true });
  });

  it("string functions", async () => {
    const r = await evaluate({
      concat: "@concat('a', 1, true)",
      case: "@createArray(toLower('AB'), toUpper('ab'), trim('  x  '))",
      conv: "@createArray(string(5), int('42'), float('1.5'), bool('true'), json('{\"k\":[1]}'))",
      replace: "@replace('a-b-c', '-', '+')",
      substring: "@createArray(substring('hello', 1, 3), substring('hello', 2))",
      split: "@split('a,b,c', ',')",
      idx: "@createArray(indexOf('Hello', 'LL'), startsWith('Hello', 'he'), endsWith('Hello', 'LO'))",
      uri: "@createArray(encodeUriComponent('a b/c!'), uriComponent('x&y'), decodeUriComponent('a%20b'))",
      b64: "@createArray(base64('hi'), base64ToString('aGk='))",
      bad: "@substring('abc', 2, 5)",
    });
    expect(r.concat).toBe("a1True");
    expect(r.case).toEqual(["ab", "AB", "x"]);
    expect(r.conv).toEqual(["5", 42, 1.5, true, { k: [1] }]);
    expect(r.replace).toBe("a+b+c");
    expect(r.substring).toEqual(["ell", "llo"]);
    expect(r.split).toEqual(["a", "b", "c"]);
    expect(r.idx).toEqual([2, true, true]);
    expect(r.uri).toEqual(["a%20b%2Fc%21", "x%26y", "a b"]);
    expect(r.b64).toEqual(["aGk=", "hi"]);
    expect(r.bad).toMatch(/^Failed: .*'substring' parameters are out of range/);
  });

  it("collection functions", async () => {
    const r = await evaluate({
      set: "@createArray(union(createArray(1, 2), createArray(2, 3)), intersection(createArray(1, 2, 3), createArray(2, 3, 4)))",
      obj: "@union(json('{\"a\":1}'), json('{\"b\":2}'))",
      ends: "@createArray(first(createArray(1, 2)), last('abc'), length(createArray(1, 2, 3)), length('ab'))",
      empty: "@createArray(empty(''), empty(createArray()), empty(json('{}')), empty('x'))",
      contains: "@createArray(contains('abc', 'b'), contains(createArray(1, 2), 2), contains(json('{\"k\":1}'), 'k'))",
      take: "@createArray(take(createArray(1, 2, 3), 2), skip(createArray(1, 2, 3), 2), join(createArray('a', 'b'), ';'))",
      range: "@range(3, 4)",
    });
    expect(r.set).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(r.obj).toEqual({ a: 1, b: 2 });
    expect(r.ends).toEqual([1, "c", 3, 2]);
    expect(r.empty).toEqual([true, true, true, false]);
    expect(r.contains).toEqual([true, true, true]);
    expect(r.take).toEqual([[1, 2], [3], "a;b"]);
    expect(r.range).toEqual([3, 4, 5, 6]);
  });

  it("math functions keep integer arithmetic integral and refuse division by zero", async () => {
    const r = await evaluate({
      math: "@createArray(add(1, 2), sub(5, 7), mul(3, 4), div(7, 2), div(5.5, 2), mod(7, 3), min(3, 1, 2), max(createArray(4, 9)))",
      zero: "@div(1, 0)",
    });
    expect(r.math).toEqual([3, -2, 12, 3, 2.75, 1, 1, 9]);
    expect(r.zero).toMatch(/^Failed: .*divide by zero/);
  });

  it("date functions read the sandbox clock and use .NET formats", async () => {
    const r = await evaluate({
      now: "@utcNow()",
      fmt: "@utcNow('yyyy-MM-dd')",
      add: "@createArray(addSeconds('2026-01-01T00:00:00Z', 90), addMinutes('2026-01-01T00:00:00Z', -1))",
      f: "@formatDateTime('2026-03-04T05:06:07.123Z', 'dd/MM/yyyy HH:mm:ss.fff')",
      ticks: "@ticks('0001-01-01T00:00:01Z')",
    });
    expect(r.now).toBe("2026-11-27T12:00:00.0000000Z");
    expect(r.fmt).toBe("2026-11-27");
    expect(r.add).toEqual(["2026-01-01T00:01:30.0000000Z", "2025-12-31T23:59:00.0000000Z"]);
    expect(r.f).toBe("04/03/2026 05:06:07.123");
    expect(r.ticks).toBe(10_000_000);
  });

  it("object helpers and chunking: setProperty, addProperty, removeProperty, array, isInt, isFloat, chunk, reverse, slice", async () => {
    const r = await evaluate({
      obj: "@removeProperty(setProperty(addProperty(json('{\"a\":1}'), 'b', 2), 'a', 3), 'b')",
      dup: "@addProperty(json('{\"a\":1}'), 'a', 2)",
      misc: "@createArray(array('x'), isInt('12'), isInt('1.5'), isFloat('1.5'), reverse(createArray(1, 2)), slice('hello', 1, -1))",
      chunk: "@createArray(chunk(createArray(1, 2, 3, 4, 5), 2), chunk('abcde', 3))",
    });
    expect(r.obj).toEqual({ a: 3 });
    expect(r.dup).toMatch(/^Failed: .*already has it/);
    expect(r.misc).toEqual([["x"], true, false, true, [2, 1], "ell"]);
    expect(r.chunk).toEqual([
      [[1, 2], [3, 4], [5]],
      ["abc", "de"],
    ]);
  });

  it("addToTime moves months as .NET does (Jan 31 + 1 month is Feb 28); getFutureTime, getPastTime, startOfDay and startOfHour", async () => {
    const r = await evaluate({
      t: "@createArray(addToTime('2026-01-31T10:00:00Z', 1, 'Month', 'yyyy-MM-dd'), addToTime('2026-01-01T00:00:00Z', 2, 'Week', 'yyyy-MM-dd'), getFutureTime(1, 'Hour'), getPastTime(1, 'Day', 'yyyy-MM-dd'), startOfDay('2026-03-04T05:06:07Z'), startOfHour('2026-03-04T05:06:07Z', 'HH:mm'))",
    });
    expect(r.t).toEqual([
      "2026-02-28",
      "2026-01-15",
      "2026-11-27T13:00:00.0000000Z",
      "2026-11-26",
      "2026-03-04T00:00:00.0000000Z",
      "05:00",
    ]);
  });

  it("guid() makes distinct GUIDs in the requested format", async () => {
    const r = await evaluate({ g: "@createArray(guid(), guid(), guid('N'))" });
    const [a, b, n] = r.g as string[];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(n).toMatch(/^[0-9a-f]{32}$/);
  });

  it("parameters() reads definition defaults overridden by the workflow's parameter values, including $connections", async () => {
    const host = createTestHost();
    const rt = createLogicRuntime(host);
    const def = definition(
      {
        P: {
          type: "Compose",
          inputs:
            "@createArray(parameters('region'), parameters('$connections')['azuresentinel']['connectionId'], workflow()['name'])",
        },
      },
      {},
      { region: { type: "String", defaultValue: "eu" }, $connections: { type: "Object", defaultValue: {} } },
    );
    const wf = workflow(def, {
      parameters: { $connections: { value: { azuresentinel: { connectionId: "/conn/1" } } } },
    });
    const { run } = await runOnce(rt, wf, post({}));
    expect(run!.actions.P!.outputs).toEqual(["eu", "/conn/1", "wf1"]);
  });
});

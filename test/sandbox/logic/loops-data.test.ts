import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, runOnce, startServer, workflow } from "./helpers.js";

const rt = () => createLogicRuntime(createTestHost());
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A server that holds every request until the test releases it, recording the most requests in flight at once. */
async function holdingServer() {
  const held: ServerResponse[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let arrivals = 0;
  let wake: (() => void) | undefined;
  const srv = await startServer((_req, _body, res) => {
    arrivals++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    held.push(res);
    wake?.();
  });
  closers.push(srv.close);
  const arrived = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (held.length >= n) resolve();
        else wake = check;
      };
      check();
    });
  return {
    url: srv.url,
    stats: () => ({ maxInFlight, arrivals }),
    /** Release requests one at a time, each after `width` (or all remaining) are held. */
    async drive(width: number, total: number) {
      for (let released = 0; released < total; released++) {
        await arrived(Math.min(width, total - released));
        inFlight--;
        held.shift()!.end("{}");
      }
    },
  };
}

function foreachDef(url: string, extra: Record<string, unknown>) {
  return definition({
    Loop: {
      type: "Foreach",
      foreach: "@triggerBody()['items']",
      ...extra,
      actions: { Call: { type: "Http", inputs: { method: "POST", uri: url, body: "@item()" } } },
    },
  });
}

describe("Foreach and Until", () => {
  it("Foreach runs at most runtimeConfiguration.concurrency.repetitions repetitions at once", async () => {
    const s = await holdingServer();
    const r = rt();
    const wf = workflow(foreachDef(s.url, { runtimeConfiguration: { concurrency: { repetitions: 3 } } }));
    const done = runOnce(r, wf, post({ items: [1, 2, 3, 4, 5, 6] }));
    await s.drive(3, 6);
    const { run } = await done;
    expect(s.stats()).toEqual({ maxInFlight: 3, arrivals: 6 });
    expect(run!.actions.Loop!.status).toBe("Succeeded");
    expect(run!.repetitions.Call!.map((a) => a.repetition![0]).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("Foreach without settings runs 20 repetitions at once, Consumption's default", async () => {
    const s = await holdingServer();
    const done = runOnce(
      rt(),
      workflow(foreachDef(s.url, {})),
      post({ items: Array.from({ length: 22 }, (_, i) => i) }),
    );
    await s.drive(20, 22);
    await done;
    expect(s.stats()).toEqual({ maxInFlight: 20, arrivals: 22 });
  });

  it("Foreach with operationOptions Sequential runs one repetition at a time", async () => {
    const s = await holdingServer();
    const r = rt();
    const done = runOnce(
      r,
      workflow(foreachDef(s.url, { operationOptions: "Sequential" })),
      post({ items: ["a", "b", "c"] }),
    );
    await s.drive(1, 3);
    await done;
    expect(s.stats()).toEqual({ maxInFlight: 1, arrivals: 3 });
  });

  it("each concurrent repetition sees its own item() and its own inner action results", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Init: { type: "InitializeVariable", inputs: { variables: [{ name: "out", type: "array", value: [] }] } },
          Loop: {
            type: "Foreach",
            foreach: "@triggerBody()",
            runAfter: { Init: ["Succeeded"] },
            actions: {
              Double: { type: "Compose", inputs: "@mul(item(), 2)" },
              Keep: {
                type: "AppendToArrayVariable",
                inputs: { name: "out", value: "@concat(items('Loop'), '=', outputs('Double'))" },
                runAfter: { Double: ["Succeeded"] },
              },
            },
          },
          Result: { type: "Compose", inputs: "@variables('out')", runAfter: { Loop: ["Succeeded"] } },
        }),
      ),
      post([1, 2, 3, 4]),
    );
    expect((run!.actions.Result!.outputs as string[]).sort()).toEqual(["1=2", "2=4", "3=6", "4=8"]);
  });

  it("Foreach over a value that is not an array fails with the Azure message", async () => {
    const { run } = await runOnce(rt(), workflow(foreachDef("http://127.0.0.1:1", {})), post({ items: { a: 1 } }));
    expect(run!.actions.Loop!.error!.message).toMatch(
      /the result of the evaluation of 'foreach' expression .* is of type 'Object'. The result must be a valid array/,
    );
  });

  it("a failed repetition fails the Foreach", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Loop: {
            type: "Foreach",
            foreach: "@createArray(1, 0, 2)",
            actions: { D: { type: "Compose", inputs: "@div(1, item())" } },
          },
        }),
      ),
      post({}),
    );
    expect(run!.actions.Loop).toMatchObject({ status: "Failed", code: "ActionFailed" });
    expect(run!.repetitions.D!.filter((a) => a.status === "Failed")).toHaveLength(1);
  });

  it("Until repeats until its expression is true, and stops at limit.count", async () => {
    const def = (limit: number) =>
      definition({
        Init: { type: "InitializeVariable", inputs: { variables: [{ name: "n", type: "integer", value: 0 }] } },
        Loop: {
          type: "Until",
          expression: "@equals(variables('n'), 3)",
          limit: { count: limit, timeout: "PT1H" },
          runAfter: { Init: ["Succeeded"] },
          actions: { Inc: { type: "IncrementVariable", inputs: { name: "n", value: 1 } } },
        },
        N: { type: "Compose", inputs: "@variables('n')", runAfter: { Loop: ["Succeeded"] } },
      });
    const a = await runOnce(rt(), workflow(def(10)), post({}));
    expect(a.run!.actions.N!.outputs).toBe(3);
    const b = await runOnce(rt(), workflow(def(2)), post({}));
    expect(b.run!.actions.N!.outputs).toBe(2);
  });
});

describe("Until status", () => {
  it("a failure in an earlier Until iteration does not stop the loop; the loop takes its last iteration's status", async () => {
    const def = (stopAt: number) =>
      definition({
        Init: { type: "InitializeVariable", inputs: { variables: [{ name: "n", type: "integer", value: 0 }] } },
        Loop: {
          type: "Until",
          expression: `@equals(variables('n'), ${stopAt})`,
          limit: { count: 5 },
          runAfter: { Init: ["Succeeded"] },
          actions: {
            Inc: { type: "IncrementVariable", inputs: { name: "n", value: 1 } },
            FailFirst: { type: "Compose", inputs: "@div(1, sub(variables('n'), 1))", runAfter: { Inc: ["Succeeded"] } },
          },
        },
      });
    const recovered = await runOnce(rt(), workflow(def(2)), post({}));
    expect(recovered.run!.repetitions.FailFirst!.map((a) => a.status)).toEqual(["Failed", "Succeeded"]);
    expect(recovered.run!.actions.Loop!.status).toBe("Succeeded");
    const failedLast = await runOnce(rt(), workflow(def(1)), post({}));
    expect(failedLast.run!.actions.Loop).toMatchObject({ status: "Failed", code: "ActionFailed" });
  });
});

describe("data operations and variables", () => {
  it("Select maps each item, Query keeps the items its condition accepts", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Sel: {
            type: "Select",
            inputs: { from: "@triggerBody()", select: { id: "@item()?['id']", upper: "@toUpper(item()?['name'])" } },
          },
          Q: { type: "Query", inputs: { from: "@triggerBody()", where: "@greater(item()?['id'], 1)" } },
        }),
      ),
      post([
        { id: 1, name: "a" },
        { id: 2, name: "b" },
      ]),
    );
    expect(run!.actions.Sel!.outputs).toEqual({
      body: [
        { id: 1, upper: "A" },
        { id: 2, upper: "B" },
      ],
    });
    expect(run!.actions.Q!.outputs).toEqual({ body: [{ id: 2, name: "b" }] });
  });

  it("ParseJson parses content and fails when it does not match the schema", async () => {
    const schema = { type: "object", properties: { id: { type: "string" } }, required: ["id"] };
    const def = definition({
      P: { type: "ParseJson", inputs: { content: "@triggerBody()?['raw']", schema } },
      Id: { type: "Compose", inputs: "@body('P')?['id']", runAfter: { P: ["Succeeded"] } },
    });
    const ok = await runOnce(rt(), workflow(def), post({ raw: '{"id":"x"}' }));
    expect(ok.run!.actions.Id!.outputs).toBe("x");
    const bad = await runOnce(rt(), workflow(def), post({ raw: '{"id":5}' }));
    expect(bad.run!.actions.P).toMatchObject({ status: "Failed", error: { code: "ValidationFailed" } });
  });

  it("InitializeVariable, SetVariable, AppendToArrayVariable and IncrementVariable change variables('…'), with type checks", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Init: {
            type: "InitializeVariable",
            inputs: {
              variables: [
                { name: "s", type: "string", value: "a" },
                { name: "list", type: "array" },
                { name: "i", type: "integer", value: 1 },
              ],
            },
          },
          Set: { type: "SetVariable", inputs: { name: "s", value: "b" }, runAfter: { Init: ["Succeeded"] } },
          Append: {
            type: "AppendToArrayVariable",
            inputs: { name: "list", value: "@variables('s')" },
            runAfter: { Set: ["Succeeded"] },
          },
          Inc: { type: "IncrementVariable", inputs: { name: "i", value: 5 }, runAfter: { Append: ["Succeeded"] } },
          All: {
            type: "Compose",
            inputs: "@createArray(variables('s'), variables('list'), variables('i'))",
            runAfter: { Inc: ["Succeeded"] },
          },
          WrongType: { type: "SetVariable", inputs: { name: "i", value: "text" }, runAfter: { All: ["Succeeded"] } },
        }),
      ),
      post({}),
    );
    expect(run!.actions.All!.outputs).toEqual(["b", ["b"], 6]);
    expect(run!.actions.WrongType).toMatchObject({ status: "Failed", error: { code: "InvalidVariableValue" } });
  });
});

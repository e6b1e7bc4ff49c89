import { describe, expect, it } from "vitest";
import { toArmRun, toArmRunActions } from "../../../src/sandbox/azure/logic/index.js";
import { createLogicRuntime, createTestHost, definition, post, runOnce, workflow } from "./helpers.js";

describe("run history", () => {
  it("runs are listed newest first and shaped like ARM's workflow runs and run actions", async () => {
    const host = createTestHost();
    const rt = createLogicRuntime(host);
    const wf = workflow(
      definition({
        A: { type: "Compose", inputs: "@triggerBody()?['n']" },
        B: { type: "Compose", inputs: "@div(1, 0)", runAfter: { A: ["Succeeded"] } },
      }),
    );
    const first = await runOnce(rt, wf, post({ n: 1 }));
    await host.clock.advance(1000);
    const second = await runOnce(rt, wf, post({ n: 2 }));
    expect(rt.runs(wf.id).map((r) => r.name)).toEqual([second.run!.name, first.run!.name]);

    const arm = toArmRun(second.run!) as any;
    expect(arm).toMatchObject({
      id: `${wf.id}/runs/${second.run!.name}`,
      name: second.run!.name,
      type: "Microsoft.Logic/workflows/runs",
      properties: {
        status: "Failed",
        startTime: "2026-11-27T12:00:01.0000000Z",
        endTime: "2026-11-27T12:00:01.0000000Z",
        error: { code: "ActionFailed", message: "An action failed. No dependent actions succeeded." },
        trigger: { name: "manual", status: "Succeeded", code: "OK" },
      },
    });
    const actions = toArmRunActions(second.run!).value as any[];
    expect(actions.map((a) => [a.name, a.properties.status, a.properties.code])).toEqual([
      ["A", "Succeeded", "OK"],
      ["B", "Failed", "InvalidTemplate"],
    ]);
    expect(actions[0].properties.outputs).toBe(2);
    expect(actions[1].id).toBe(`${wf.id}/runs/${second.run!.name}/actions/B`);
  });

  it("the definition's outputs are evaluated when the run ends and reported on the run", async () => {
    const rt = createLogicRuntime(createTestHost());
    const def = {
      ...definition({ A: { type: "Compose", inputs: "@triggerBody()?['n']" } }),
      outputs: { doubled: { type: "Int", value: "@mul(outputs('A'), 2)" } },
    };
    const { run } = await runOnce(rt, workflow(def), post({ n: 21 }));
    expect(run!.outputs).toEqual({ doubled: { type: "Int", value: 42 } });
    expect((toArmRun(run!) as any).properties.outputs).toEqual({ doubled: { type: "Int", value: 42 } });
  });

  it("run names look like Azure's and each run gets its own", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(definition({}));
    const a = await rt.invoke(wf, "manual", post({}));
    const b = await rt.invoke(wf, "manual", post({}));
    expect(a.headers["x-ms-workflow-run-id"]).toMatch(/^\d{29}CU\d{2}$/);
    expect(a.headers["x-ms-workflow-run-id"]).not.toBe(b.headers["x-ms-workflow-run-id"]);
  });
});

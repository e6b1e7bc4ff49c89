import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, startServer, workflow } from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe("trigger concurrency control", () => {
  it("with runtimeConfiguration.concurrency.runs 1, a second run waits (status Waiting) until the first ends; past maximumWaitingRuns the caller gets 429", async () => {
    const held: { body: string; res: ServerResponse }[] = [];
    let wake: (() => void) | undefined;
    const srv = await startServer((_q, body, res) => {
      held.push({ body, res });
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
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition(
        { Call: { type: "Http", inputs: { method: "POST", uri: srv.url, body: "@triggerBody()" } } },
        { runtimeConfiguration: { concurrency: { runs: 1, maximumWaitingRuns: 1 } } },
      ),
    );
    const first = await rt.invoke(wf, "manual", post({ n: 1 }));
    const second = await rt.invoke(wf, "manual", post({ n: 2 }));
    const third = await rt.invoke(wf, "manual", post({ n: 3 }));
    expect([first.status, second.status, third.status]).toEqual([202, 202, 429]);
    await arrived(1);
    const runOf = (r: typeof first) => rt.run(wf.id, r.headers["x-ms-workflow-run-id"]!)!;
    expect([runOf(first).status, runOf(second).status]).toEqual(["Running", "Waiting"]);
    held[0]!.res.end();
    await arrived(2);
    expect(held.map((h) => JSON.parse(h.body).n)).toEqual([1, 2]);
    expect(runOf(second).status).toBe("Running");
    held[1]!.res.end();
    await rt.idle();
    expect([runOf(first).status, runOf(second).status]).toEqual(["Succeeded", "Succeeded"]);
  });
});

describe("secure inputs and outputs", () => {
  it("runtimeConfiguration.secureData hides an action's inputs and outputs from the run history but not from expressions", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        Secret: {
          type: "Compose",
          inputs: "@triggerBody()?['key']",
          runtimeConfiguration: { secureData: { properties: ["inputs", "outputs"] } },
        },
        Use: { type: "Compose", inputs: "@length(outputs('Secret'))", runAfter: { Secret: ["Succeeded"] } },
      }),
    );
    const res = await rt.invoke(wf, "manual", post({ key: "s3cr3t" }));
    await rt.idle();
    const run = rt.run(wf.id, res.headers["x-ms-workflow-run-id"]!)!;
    expect(run.actions.Secret!.inputs).toBeUndefined();
    expect(run.actions.Secret!.outputs).toBeUndefined();
    expect(run.actions.Use!.outputs).toBe(6);
    expect(JSON.stringify(run.actions)).not.toContain("s3cr3t");
  });
});

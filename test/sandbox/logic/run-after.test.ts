import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, runOnce, startServer, workflow } from "./helpers.js";

const rt = () => createLogicRuntime(createTestHost());
const fail = { type: "Compose", inputs: "@div(1, 0)" };

describe("runAfter graph and run status", () => {
  it("an action runs only when its predecessor ends in an allowed status; otherwise it is Skipped with ActionConditionFailed", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          A: fail,
          OnSuccess: { type: "Compose", inputs: "ok", runAfter: { A: ["Succeeded"] } },
          OnFailure: { type: "Compose", inputs: "handled", runAfter: { A: ["FAILED", "TimedOut"] } },
        }),
      ),
      post({}),
    );
    expect(run!.actions.A).toMatchObject({ status: "Failed", code: "InvalidTemplate" });
    expect(run!.actions.OnSuccess).toMatchObject({
      status: "Skipped",
      code: "ActionSkipped",
      error: {
        code: "ActionConditionFailed",
        message:
          "The execution of template action 'OnSuccess' is skipped: the 'runAfter' condition for action 'A' is not satisfied. Expected status values 'Succeeded' and actual value 'Failed'.",
      },
    });
    expect(run!.actions.OnFailure).toMatchObject({ status: "Succeeded", outputs: "handled" });
  });

  it("a failure whose branch ends in a Skipped action fails the run with ActionFailed", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(definition({ A: fail, B: { type: "Compose", inputs: "x", runAfter: { A: ["Succeeded"] } } })),
      post({}),
    );
    expect(run).toMatchObject({
      status: "Failed",
      code: "ActionFailed",
      error: { code: "ActionFailed", message: "An action failed. No dependent actions succeeded." },
    });
  });

  it("a failure handled by an action that runs after Failed leaves the run Succeeded", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(definition({ A: fail, Catch: { type: "Compose", inputs: "x", runAfter: { A: ["Failed"] } } })),
      post({}),
    );
    expect(run!.status).toBe("Succeeded");
  });

  it("a Skipped action whose predecessor succeeded does not fail the run (catch branch not needed)", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          A: { type: "Compose", inputs: 1 },
          Catch: { type: "Compose", inputs: "x", runAfter: { A: ["Failed"] } },
        }),
      ),
      post({}),
    );
    expect(run!.actions.Catch!.status).toBe("Skipped");
    expect(run!.status).toBe("Succeeded");
  });

  it("reading the outputs of a skipped action fails the reading action with InvalidTemplate, even with '?'", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          A: fail,
          B: { type: "Compose", inputs: 1, runAfter: { A: ["Succeeded"] } },
          Read: { type: "Compose", inputs: "@outputs('B')?['x']", runAfter: { B: ["Succeeded", "Skipped"] } },
        }),
      ),
      post({}),
    );
    expect(run!.actions.Read).toMatchObject({ status: "Failed", code: "InvalidTemplate" });
    expect(run!.actions.Read!.error!.message).toMatch(
      /^Unable to process template language expressions in action 'Read' inputs at line '0' and column '0': 'The template language expression 'outputs\('B'\)' cannot be evaluated because action 'B' was skipped/,
    );
  });

  it("actions('X') of a skipped action still answers with its status, for error handling", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          A: fail,
          B: { type: "Compose", inputs: 1, runAfter: { A: ["Succeeded"] } },
          Status: { type: "Compose", inputs: "@actions('B')['status']", runAfter: { B: ["Skipped"] } },
        }),
      ),
      post({}),
    );
    expect(run!.actions.Status!.outputs).toBe("Skipped");
  });

  it("a Scope fails when an unhandled action inside fails, and result() lists its immediate children", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Try: {
            type: "Scope",
            actions: {
              First: { type: "Compose", inputs: "ok" },
              Boom: { ...fail, runAfter: { First: ["Succeeded"] } },
            },
          },
          Catch: {
            type: "Scope",
            runAfter: { Try: ["Failed", "TimedOut"] },
            actions: {
              Failed: {
                type: "Query",
                inputs: { from: "@result('Try')", where: "@equals(item()['status'], 'Failed')" },
              },
              Name: { type: "Compose", inputs: "@first(body('Failed'))?['name']", runAfter: { Failed: ["Succeeded"] } },
            },
          },
        }),
      ),
      post({}),
    );
    expect(run!.actions.Try).toMatchObject({ status: "Failed", code: "ActionFailed", error: { code: "ActionFailed" } });
    expect(run!.actions.Catch!.status).toBe("Succeeded");
    expect(run!.actions.Name!.outputs).toBe("Boom");
    expect(run!.status).toBe("Succeeded");
  });

  it("parallel branches both run and the action after them waits for both", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Left: { type: "Compose", inputs: "L" },
          Right: { type: "Compose", inputs: "R" },
          Join: {
            type: "Compose",
            inputs: "@concat(outputs('Left'), outputs('Right'))",
            runAfter: { Left: ["Succeeded"], Right: ["Succeeded"] },
          },
        }),
      ),
      post({}),
    );
    expect(run!.actions.Join!.outputs).toBe("LR");
  });
});

describe("TimedOut", () => {
  it("an action past its limit.timeout is TimedOut, and an action that runs after TimedOut handles it", async () => {
    const held: ServerResponse[] = [];
    const srv = await startServer((_q, _b, res) => {
      held.push(res);
    });
    try {
      const host = createTestHost();
      const r = createLogicRuntime(host);
      const wf = workflow(
        definition({
          Slow: { type: "Http", inputs: { method: "GET", uri: srv.url }, limit: { timeout: "PT10S" } },
          OnTimeout: { type: "Compose", inputs: "@actions('Slow')['status']", runAfter: { Slow: ["TimedOut"] } },
        }),
      );
      const timer = host.nextTimer();
      await r.invoke(wf, "manual", post({}));
      expect((await timer).delayMs).toBe(10_000);
      await host.clock.advance(10_000);
      await r.idle();
      const run = r.runs(wf.id)[0]!;
      expect(run.actions.Slow).toMatchObject({
        status: "TimedOut",
        code: "ActionTimedOut",
        error: { code: "ActionTimedOut" },
      });
      expect(run.actions.OnTimeout!.outputs).toBe("TimedOut");
      expect(run.status).toBe("Succeeded");
    } finally {
      for (const h of held) h.end();
      await srv.close();
    }
  });
});

describe("If, Switch and Terminate", () => {
  it("If runs the branch its expression selects and records the other branch's actions as Skipped", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Check: {
            type: "If",
            expression: {
              and: [
                { equals: ["@triggerBody()?['status']", "closed"] },
                { not: { equals: ["@triggerBody()?['x']", 1] } },
              ],
            },
            actions: { Yes: { type: "Compose", inputs: "yes" } },
            else: { actions: { No: { type: "Compose", inputs: "no" } } },
          },
          Plain: {
            type: "If",
            expression: "@greater(length(triggerBody()?['status']), 3)",
            actions: { Long: { type: "Compose", inputs: 1 } },
          },
        }),
      ),
      post({ status: "closed", x: 2 }),
    );
    expect(run!.actions.Check).toMatchObject({ status: "Succeeded", inputs: { expressionResult: true } });
    expect(run!.actions.Yes!.status).toBe("Succeeded");
    expect(run!.actions.No).toMatchObject({
      status: "Skipped",
      error: { code: "ActionBranchingConditionNotSatisfied" },
    });
    expect(run!.actions.Long!.status).toBe("Succeeded");
  });

  it("Switch runs the matching case, or default when none matches", async () => {
    const def = definition({
      S: {
        type: "Switch",
        expression: "@triggerBody()['action']",
        cases: { C1: { case: "create", actions: { Create: { type: "Compose", inputs: 1 } } } },
        default: { actions: { Other: { type: "Compose", inputs: 2 } } },
      },
    });
    const a = await runOnce(rt(), workflow(def), post({ action: "create" }));
    expect([a.run!.actions.Create!.status, a.run!.actions.Other!.status]).toEqual(["Succeeded", "Skipped"]);
    const b = await runOnce(rt(), workflow(def), post({ action: "nope" }));
    expect([b.run!.actions.Create!.status, b.run!.actions.Other!.status]).toEqual(["Skipped", "Succeeded"]);
  });

  it("a Switch whose case runs an action and whose response reads a skipped action fails the run as Azure does", async () => {
    // The blog's update-incident case: closing runs Close_Incident, so Update_incident (default branch) is
    // skipped, and the Response that reads it fails: the caller gets 502 and the run is Failed.
    const def = definition({
      Check_action: {
        type: "Switch",
        expression: "@triggerBody()?['action']",
        cases: {
          Update: {
            case: "update-incident",
            actions: {
              Switch: {
                type: "Switch",
                expression: "@triggerBody()?['case_status']",
                cases: {
                  Closed: {
                    case: "closed",
                    actions: { Close_Incident: { type: "Compose", inputs: { status: "Closed" } } },
                  },
                },
                default: {
                  actions: {
                    Update_incident: {
                      type: "Compose",
                      inputs: { properties: { title: "@triggerBody()?['case_title']" } },
                    },
                  },
                },
              },
              Update_incident_response: {
                type: "Response",
                kind: "Http",
                runAfter: { Switch: ["Succeeded"] },
                inputs: { statusCode: 200, body: { title: "@outputs('Update_incident')?['properties']?['title']" } },
              },
            },
          },
        },
      },
    });
    const open = await runOnce(
      rt(),
      workflow(def),
      post({ action: "update-incident", case_status: "open", case_title: "T" }),
    );
    expect(open.res.status).toBe(200);
    expect(open.json).toEqual({ title: "T" });

    const closed = await runOnce(
      rt(),
      workflow(def),
      post({ action: "update-incident", case_status: "closed", case_title: "T" }),
    );
    expect(closed.run!.actions.Update_incident).toMatchObject({
      status: "Skipped",
      error: { code: "ActionBranchingConditionNotSatisfied" },
    });
    expect(closed.run!.actions.Update_incident_response).toMatchObject({ status: "Failed", code: "InvalidTemplate" });
    expect(closed.run).toMatchObject({ status: "Failed", error: { code: "ActionFailed" } });
    expect(closed.res.status).toBe(502);
    expect(closed.json.error.code).toBe("NoResponse");
  });

  it("Terminate ends the run with its status and error; later actions do not run", async () => {
    const { run } = await runOnce(
      rt(),
      workflow(
        definition({
          Stop: {
            type: "Terminate",
            inputs: { runStatus: "Failed", runError: { code: "Unknown_action", message: "no such action" } },
          },
          After: { type: "Compose", inputs: 1, runAfter: { Stop: ["Succeeded"] } },
        }),
      ),
      post({}),
    );
    expect(run).toMatchObject({ status: "Failed", error: { code: "Unknown_action", message: "no such action" } });
    expect(run!.actions.After).toBeUndefined();
    const cancelled = await runOnce(
      rt(),
      workflow(definition({ Stop: { type: "Terminate", inputs: { runStatus: "Cancelled" } } })),
      post({}),
    );
    expect(cancelled.run!.status).toBe("Cancelled");
  });
});

import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, runOnce, startServer, workflow } from "./helpers.js";

const rt = () => createLogicRuntime(createTestHost());

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

import { describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, runOnce, workflow } from "./helpers.js";

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

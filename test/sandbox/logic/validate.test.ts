import { describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition } from "./helpers.js";

const validate = (d: unknown) => createLogicRuntime(createTestHost()).validate(d);

describe("validate (deploy-time checks)", () => {
  it("a definition the runtime can run has no problems", () => {
    const d = definition(
      {
        Init: { type: "InitializeVariable", inputs: { variables: [{ name: "v", type: "string", value: "" }] } },
        S: {
          type: "Switch",
          runAfter: { Init: ["Succeeded"] },
          expression: "@triggerBody()?['action']",
          cases: {
            A: { case: "a", actions: { C: { type: "Compose", inputs: "@{variables('v')}-@{parameters('p')}" } } },
          },
          default: {
            actions: {
              Loop: {
                type: "Foreach",
                foreach: "@triggerBody()?['list']",
                actions: { I: { type: "Compose", inputs: "@items('Loop')" } },
              },
            },
          },
        },
        R: {
          type: "Response",
          runAfter: { S: ["Succeeded", "Failed"] },
          inputs: { statusCode: 200, body: "@outputs('C')" },
        },
      },
      {},
      { p: { type: "String", defaultValue: "x" } },
    );
    expect(validate(d)).toEqual([]);
  });

  it("with the workflow's parameter values, a parameter without default or value, and a value for no parameter, are refused", () => {
    const rt = createLogicRuntime(createTestHost());
    const d = definition({}, {}, { needed: { type: "String" }, optional: { type: "String", defaultValue: "x" } });
    expect(rt.validate(d, { needed: { value: "v" } })).toEqual([]);
    expect(rt.validate(d, { extra: { value: 1 } })).toEqual([
      "The value for the workflow parameter 'needed' is not provided, and the parameter has no default value.",
      "The workflow parameter 'extra' has a value but is not declared in the definition.",
    ]);
  });

  it("an unsupported action type is named", () => {
    expect(
      validate(definition({ Wait: { type: "Wait", inputs: { interval: { count: 1, unit: "Minute" } } } })),
    ).toEqual(["The action type 'Wait' of action 'Wait' is not supported by the sandbox runtime."]);
  });

  it("settings the runtime would ignore (splitOn, staticResult, unknown operation options) are refused", () => {
    const problems = validate(
      definition(
        {
          A: { type: "Compose", inputs: 1, runtimeConfiguration: { staticResult: { name: "x" } } },
          B: { type: "Http", inputs: { method: "GET", uri: "http://x" }, operationOptions: "SuppressWorkflowHeaders" },
        },
        { splitOn: "@triggerBody()" },
      ),
    );
    expect(problems).toEqual([
      "The property 'splitOn' of trigger 'manual' is not supported by the sandbox runtime.",
      "The runtime configuration 'staticResult' of action 'A' is not supported by the sandbox runtime.",
      "The operation option 'SuppressWorkflowHeaders' of action 'B' is not supported by the sandbox runtime.",
    ]);
  });

  it("a trigger schema that is not a valid JSON schema is refused", () => {
    const problems = validate(definition({}, { inputs: { schema: { type: "objekt" } } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("The schema of trigger 'manual' is not a valid JSON schema");
  });

  it("an unsupported trigger type is named", () => {
    expect(validate({ triggers: { Recurrence: { type: "Recurrence" } }, actions: {} })[0]).toContain(
      "'Recurrence' of trigger 'Recurrence' is not supported",
    );
  });

  it("an unsupported expression function is named, with where it is used", () => {
    const problems = validate(
      definition({ X: { type: "Compose", inputs: { a: "@xpath(xml(triggerBody()), '/a')" } } }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("The template function 'xpath' used in 'inputs' of action 'X'");
    expect(problems[1]).toContain("'xml'");
  });

  it("runAfter naming a non-sibling action, an unknown status or a cycle is refused", () => {
    const problems = validate(
      definition({
        A: { type: "Compose", inputs: 1, runAfter: { B: ["Succeeded"] } },
        B: { type: "Compose", inputs: 1, runAfter: { A: ["Done"] } },
        S: { type: "Scope", actions: { Inner: { type: "Compose", inputs: 1, runAfter: { A: ["Succeeded"] } } } },
      }),
    );
    expect(problems).toContain(
      "The 'runAfter' status 'Done' of action 'B' for 'A' is not one of Succeeded, Failed, Skipped, TimedOut.",
    );
    expect(problems).toContain("The 'runAfter' property of template action 'Inner' contains non-existent action: 'A'.");
    expect(problems.some((p) => p.includes("form a cycle"))).toBe(true);
  });

  it("references to undefined actions, parameters and variables are refused", () => {
    const problems = validate(
      definition({
        X: { type: "Compose", inputs: "@concat(body('Nope'), parameters('missing'), variables('nothing'))" },
      }),
    );
    expect(problems).toEqual([
      "The action 'Nope' referenced by 'inputs' in action 'X' is not defined in the template.",
      "The workflow parameter 'missing' referenced by 'inputs' in action 'X' is not declared in the definition's parameters.",
      "The variable 'nothing' referenced by 'inputs' in action 'X' is not initialized by any InitializeVariable action.",
    ]);
  });

  it("InitializeVariable below top level and Response inside a loop are refused, as Azure does on save", () => {
    const problems = validate(
      definition({
        S: {
          type: "Scope",
          actions: { Init: { type: "InitializeVariable", inputs: { variables: [{ name: "v", type: "string" }] } } },
        },
        L: {
          type: "Foreach",
          foreach: "@createArray(1)",
          actions: { R: { type: "Response", inputs: { statusCode: 200 } } },
        },
      }),
    );
    expect(problems.some((p) => p.includes("'Init' of type 'InitializeVariable' is not at the top level"))).toBe(true);
    expect(problems.some((p) => p.includes("The Response action 'R' is inside the loop 'L'"))).toBe(true);
  });

  it("malformed expressions and unsupported settings are reported, not ignored", () => {
    const problems = validate(
      definition({
        X: { type: "Compose", inputs: "@concat('a'" },
        H: { type: "Http", inputs: { method: "GET", uri: "http://x" }, limit: { timeout: "ten seconds", count: 2 } },
        L: {
          type: "Foreach",
          foreach: "@createArray(1)",
          runtimeConfiguration: { concurrency: { repetitions: 80 } },
          actions: {},
        },
      }),
    );
    expect(problems.some((p) => p.startsWith("The expression in 'inputs' of action 'X' is not valid"))).toBe(true);
    expect(problems).toContain("The 'limit.count' of action 'H' must be a positive integer on an Until loop.");
    expect(problems).toContain("The 'limit.timeout' of action 'H' must be an ISO 8601 duration such as 'PT1M'.");
    expect(problems.some((p) => p.includes("repetitions' of action 'L' must be an integer from 1 to 50"))).toBe(true);
  });
});

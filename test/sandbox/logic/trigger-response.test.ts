import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createLogicRuntime, createTestHost, definition, post, runOnce, startServer, workflow } from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const schema = {
  type: "object",
  properties: { action: { type: "string" }, n: { type: "integer" } },
  required: ["action"],
};

describe("Request trigger", () => {
  it("with Schema Validation on, a body that does not match gets 400 TriggerInputSchemaMismatch and no run", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition(
        { R: { type: "Response", inputs: { statusCode: 200 } } },
        { inputs: { method: "POST", schema }, operationOptions: "EnableSchemaValidation" },
      ),
    );
    const missing = await rt.invoke(wf, "manual", post({ n: 1 }));
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toEqual({
      error: {
        code: "TriggerInputSchemaMismatch",
        message:
          "The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: 'Required properties are missing from object: action.'.",
      },
    });
    const wrongType = await rt.invoke(wf, "manual", post({ action: "x", n: "one" }));
    expect(JSON.parse(wrongType.body).error.message).toContain(
      "Invalid type. Expected Integer but got String. Path 'n'.",
    );
    expect(rt.runs(wf.id)).toHaveLength(0);
    expect((await rt.invoke(wf, "manual", post({ action: "x", n: 1 }))).status).toBe(200);
  });

  it("schema validation checks formats such as date-time, as Json.NET Schema does", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition(
        {},
        {
          inputs: { schema: { type: "object", properties: { at: { type: "string", format: "date-time" } } } },
          operationOptions: "EnableSchemaValidation",
        },
      ),
    );
    expect((await rt.invoke(wf, "manual", post({ at: "2026-11-27T12:00:00Z" }))).status).toBe(202);
    const bad = await rt.invoke(wf, "manual", post({ at: "yesterday" }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toContain(
      "String 'yesterday' does not validate against format 'date-time'. Path 'at'.",
    );
  });

  it("without Schema Validation the schema only describes the body, as in Azure (off by default)", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition(
        { R: { type: "Response", inputs: { statusCode: 200, body: "@triggerBody()" } } },
        { inputs: { schema } },
      ),
    );
    const { res, json } = await runOnce(rt, wf, post({ n: "not an integer" }));
    expect(res.status).toBe(200);
    expect(json).toEqual({ n: "not an integer" });
  });

  it("the caller's Authorization header stays out of the trigger outputs unless IncludeAuthorizationHeadersInOutputs", async () => {
    const rt = createLogicRuntime(createTestHost());
    const req = post(
      {},
      { headers: { "content-type": "application/json", authorization: "Bearer secret-token", "x-other": "1" } },
    );
    const plain = await runOnce(rt, workflow(definition({})), req);
    expect(plain.run!.trigger.outputs).toMatchObject({ headers: { "x-other": "1" } });
    expect(JSON.stringify(plain.run)).not.toContain("secret-token");
    const opted = await runOnce(
      rt,
      workflow(definition({}, { operationOptions: "IncludeAuthorizationHeadersInOutputs" })),
      req,
    );
    expect((opted.run!.trigger.outputs as any).headers.authorization).toBe("Bearer secret-token");
  });

  it("a request with another method than the trigger's gets 400 TriggerRequestMethodNotValid", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(definition({}, { inputs: { method: "GET" } }));
    const res = await rt.invoke(wf, "manual", post({}));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe("TriggerRequestMethodNotValid");
  });

  it("relativePath parameters reach triggerOutputs()['relativePathParameters']", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition(
        {
          R: {
            type: "Response",
            inputs: { statusCode: 200, body: "@triggerOutputs()['relativePathParameters']['caseId']" },
          },
        },
        { inputs: { method: "GET", relativePath: "cases/{caseId}" } },
      ),
    );
    const ok = await rt.invoke(wf, "manual", {
      method: "GET",
      relativePath: "/cases/42",
      query: {},
      headers: {},
      body: "",
    });
    expect([ok.status, ok.body]).toEqual([200, "42"]);
    const bad = await rt.invoke(wf, "manual", {
      method: "GET",
      relativePath: "/other/42",
      query: {},
      headers: {},
      body: "",
    });
    expect(bad.status).toBe(404);
  });

  it("a disabled workflow gets 404 and an unknown trigger name 404", async () => {
    const rt = createLogicRuntime(createTestHost());
    expect((await rt.invoke(workflow(definition({}), { state: "Disabled" }), "manual", post({}))).status).toBe(404);
    expect((await rt.invoke(workflow(definition({})), "other", post({}))).status).toBe(404);
  });
});

describe("Response action", () => {
  it("the caller gets the Response's status, headers and JSON body, with x-ms-workflow-run-id naming the run", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        R: {
          type: "Response",
          kind: "Http",
          inputs: {
            statusCode: 201,
            headers: { "X-Case": "@triggerBody()?['id']" },
            body: { id: "@triggerBody()?['id']", ok: true },
          },
        },
      }),
    );
    const { res, run, json } = await runOnce(rt, wf, post({ id: "c1" }));
    expect(res.status).toBe(201);
    expect(res.headers["X-Case"]).toBe("c1");
    expect(res.headers["Content-Type"]).toMatch(/^application\/json/);
    expect(json).toEqual({ id: "c1", ok: true });
    expect(run!.name).toBe(res.headers["x-ms-workflow-run-id"]);
    expect(run!.status).toBe("Succeeded");
    expect(rt.runs(wf.id).map((r) => r.name)).toEqual([run!.name]);
  });

  it("without a Response action the caller gets 202 at once, while the run goes on", async () => {
    const held: ServerResponse[] = [];
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => {
      arrived = r;
    });
    const srv = await startServer((_q, _b, res) => {
      held.push(res);
      arrived();
    });
    closers.push(srv.close);
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(definition({ Call: { type: "Http", inputs: { method: "GET", uri: srv.url } } }));
    const res = await rt.invoke(wf, "manual", post({}));
    expect(res.status).toBe(202);
    await arrival;
    const runId = res.headers["x-ms-workflow-run-id"]!;
    expect(rt.run(wf.id, runId)!.status).toBe("Running");
    held[0]!.end();
    await rt.idle();
    expect(rt.run(wf.id, runId)!.status).toBe("Succeeded");
  });

  it("the trigger's answer is sent when the Response runs, before later actions finish", async () => {
    const held: ServerResponse[] = [];
    const srv = await startServer((_q, _b, res) => {
      held.push(res);
    });
    closers.push(srv.close);
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        R: { type: "Response", inputs: { statusCode: 200, body: "early" } },
        Later: { type: "Http", inputs: { method: "GET", uri: srv.url }, runAfter: { R: ["Succeeded"] } },
      }),
    );
    const res = await rt.invoke(wf, "manual", post({}));
    expect([res.status, res.body]).toEqual([200, "early"]);
    expect(rt.run(wf.id, res.headers["x-ms-workflow-run-id"]!)!.status).toBe("Running");
    while (!held.length) await new Promise((r) => setImmediate(r));
    held[0]!.end();
    await rt.idle();
  });

  it("a workflow whose Response is skipped answers 502 NoResponse when the run ends", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        A: { type: "Compose", inputs: "@div(1, 0)" },
        R: { type: "Response", inputs: { statusCode: 200 }, runAfter: { A: ["Succeeded"] } },
      }),
    );
    const { res, json, run } = await runOnce(rt, wf, post({}));
    expect(res.status).toBe(502);
    expect(json.error.code).toBe("NoResponse");
    expect(run!.actions.R!.status).toBe("Skipped");
  });

  it("a Response later than Consumption's 120 s limit: the caller gets 504 and the late Response fails", async () => {
    const held: ServerResponse[] = [];
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => {
      arrived = r;
    });
    const srv = await startServer((_q, _b, res) => {
      held.push(res);
      arrived();
    });
    closers.push(srv.close);
    const host = createTestHost();
    const rt = createLogicRuntime(host);
    const wf = workflow(
      definition({
        Slow: { type: "Http", inputs: { method: "GET", uri: srv.url } },
        R: { type: "Response", inputs: { statusCode: 200 }, runAfter: { Slow: ["Succeeded"] } },
      }),
    );
    const timer = host.nextTimer();
    const answer = rt.invoke(wf, "manual", post({}));
    expect((await timer).delayMs).toBe(120_000);
    await arrival;
    await host.clock.advance(120_000);
    const res = await answer;
    expect(res.status).toBe(504);
    held[0]!.end();
    await rt.idle();
    const run = rt.run(wf.id, res.headers["x-ms-workflow-run-id"]!)!;
    expect(run.actions.R).toMatchObject({ status: "Failed", code: "ActionResponseTimedOut" });
  });

  it("a second Response in the same run fails: the caller was already answered", async () => {
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        R1: { type: "Response", inputs: { statusCode: 200 } },
        R2: { type: "Response", inputs: { statusCode: 500 }, runAfter: { R1: ["Succeeded"] } },
      }),
    );
    const { res, run } = await runOnce(rt, wf, post({}));
    expect(res.status).toBe(200);
    expect(run!.actions.R2!.status).toBe("Failed");
  });
});

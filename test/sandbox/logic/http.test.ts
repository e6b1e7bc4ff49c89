import { afterEach, describe, expect, it } from "vitest";
import {
  createLogicRuntime,
  createTestHost,
  definition,
  post,
  runOnce,
  sendJson,
  startServer,
  workflow,
} from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** An ARM-like endpoint that accepts only bearer tokens of workflows holding a role (host tokens are "mi|<workflowId>|<audience>"). */
async function rbacServer(allowed: Set<string>) {
  const seen: string[] = [];
  const srv = await startServer((req, _body, res) => {
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    seen.push(token);
    const [, workflowId, audience] = token.split("|");
    if (!workflowId)
      return sendJson(res, 401, { error: { code: "AuthenticationFailed", message: "Authentication failed." } });
    if (audience !== "https://management.azure.com/" || !allowed.has(workflowId))
      return sendJson(res, 403, {
        error: {
          code: "AuthorizationFailed",
          message: `The client '${workflowId}' does not have authorization to perform action.`,
        },
      });
    sendJson(res, 200, { properties: { title: "Incident 1" } });
  });
  closers.push(srv.close);
  return { url: srv.url, seen };
}

const miCall = (url: string, audience?: string) =>
  definition({
    Get: {
      type: "Http",
      inputs: {
        method: "GET",
        uri: `${url}/incidents/1`,
        authentication: { type: "ManagedServiceIdentity", ...(audience ? { audience } : {}) },
        retryPolicy: { type: "none" },
      },
    },
    R: {
      type: "Response",
      inputs: { statusCode: 200, body: "@body('Get')?['properties']?['title']" },
      runAfter: { Get: ["Succeeded"] },
    },
  });

describe("Http action", () => {
  it("a managed-identity Http call without the role gets 403: the action and the run fail", async () => {
    const s = await rbacServer(new Set());
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(miCall(s.url, "https://management.azure.com/"));
    const { run, res } = await runOnce(rt, wf, post({}));
    expect(s.seen).toEqual([`mi|${wf.id}|https://management.azure.com/`]);
    expect(run!.actions.Get).toMatchObject({
      status: "Failed",
      code: "Forbidden",
      outputs: { statusCode: 403, body: { error: { code: "AuthorizationFailed" } } },
    });
    expect(run!.status).toBe("Failed");
    expect(res.status).toBe(502);
  });

  it("a managed-identity Http call with the role succeeds, using the default audience when none is given", async () => {
    const wf = workflow(miCall("placeholder"));
    const s = await rbacServer(new Set([wf.id]));
    const rt = createLogicRuntime(createTestHost());
    const { res, run } = await runOnce(rt, workflow(miCall(s.url)), post({}));
    expect(run!.actions.Get).toMatchObject({ status: "Succeeded", code: "OK" });
    expect([res.status, res.body]).toEqual([200, "Incident 1"]);
  });

  it("a workflow without a managed identity cannot make a managed-identity call", async () => {
    const rt = createLogicRuntime(createTestHost());
    const { run } = await runOnce(rt, workflow(miCall("http://127.0.0.1:1"), { principalId: undefined }), post({}));
    expect(run!.actions.Get).toMatchObject({ status: "Failed", error: { code: "MissingManagedIdentity" } });
  });

  it("the default retry policy retries 5xx with exponential intervals (7.5 s, then 15 s) and succeeds on the third try", async () => {
    let calls = 0;
    const srv = await startServer((_q, body, res) => {
      calls++;
      if (calls <= 2) return sendJson(res, 503, { error: "busy" });
      sendJson(res, 200, { got: JSON.parse(body) });
    });
    closers.push(srv.close);
    const host = createTestHost();
    const rt = createLogicRuntime(host);
    const wf = workflow(
      definition({ Call: { type: "Http", inputs: { method: "POST", uri: srv.url, body: { a: 1 } } } }),
    );
    await rt.invoke(wf, "manual", post({}));
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { delayMs } = await host.nextTimer();
      delays.push(delayMs);
      await host.clock.advance(delayMs);
    }
    await rt.idle();
    const run = rt.runs(wf.id)[0]!;
    expect(calls).toBe(3);
    expect(delays).toEqual([7500, 15000]);
    expect(run.actions.Call).toMatchObject({
      status: "Succeeded",
      outputs: { statusCode: 200, body: { got: { a: 1 } } },
    });
    expect(run.actions.Call!.retryHistory!.map((r) => r.code)).toEqual(["ServiceUnavailable", "ServiceUnavailable"]);
  });

  it("a 429 with Retry-After waits as long as the server asks", async () => {
    let calls = 0;
    const srv = await startServer((_q, _b, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 429, {}, { "Retry-After": "3" });
      sendJson(res, 200, {});
    });
    closers.push(srv.close);
    const host = createTestHost();
    const rt = createLogicRuntime(host);
    const wf = workflow(definition({ Call: { type: "Http", inputs: { method: "GET", uri: srv.url } } }));
    await rt.invoke(wf, "manual", post({}));
    const { delayMs } = await host.nextTimer();
    await host.clock.advance(delayMs);
    await rt.idle();
    expect(delayMs).toBe(3000);
    expect(rt.runs(wf.id)[0]!.actions.Call!.status).toBe("Succeeded");
  });

  it("retryPolicy none fails on the first 5xx; 4xx other than 408/429 are never retried", async () => {
    let calls = 0;
    const srv = await startServer((req, _b, res) => {
      calls++;
      sendJson(res, req.url === "/bad" ? 400 : 500, {});
    });
    closers.push(srv.close);
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        None: { type: "Http", inputs: { method: "GET", uri: `${srv.url}/x`, retryPolicy: { type: "none" } } },
        Bad: { type: "Http", inputs: { method: "GET", uri: `${srv.url}/bad` } },
      }),
    );
    const { run } = await runOnce(rt, wf, post({}));
    expect(calls).toBe(2);
    expect(run!.actions.None).toMatchObject({ status: "Failed", code: "InternalServerError" });
    expect(run!.actions.Bad).toMatchObject({ status: "Failed", code: "BadRequest" });
  });

  it("a 202 with a Location header is polled until the operation finishes, unless DisableAsyncPattern is set", async () => {
    let polls = 0;
    const srv = await startServer((req, _b, res) => {
      if (req.url === "/start") return sendJson(res, 202, {}, { Location: "/status", "Retry-After": "5" });
      polls++;
      if (polls < 2) return sendJson(res, 202, {}, { Location: "/status", "Retry-After": "5" });
      sendJson(res, 200, { done: true });
    });
    closers.push(srv.close);
    const host = createTestHost();
    const rt = createLogicRuntime(host);
    const wf = workflow(definition({ Call: { type: "Http", inputs: { method: "POST", uri: `${srv.url}/start` } } }));
    await rt.invoke(wf, "manual", post({}));
    for (let i = 0; i < 2; i++) {
      const { delayMs } = await host.nextTimer();
      expect(delayMs).toBe(5000);
      await host.clock.advance(delayMs);
    }
    await rt.idle();
    expect(rt.runs(wf.id)[0]!.actions.Call!.outputs).toMatchObject({ statusCode: 200, body: { done: true } });

    const noPoll = workflow(
      definition({
        Call: {
          type: "Http",
          inputs: { method: "POST", uri: `${srv.url}/start` },
          operationOptions: "DisableAsyncPattern",
        },
      }),
    );
    const { run } = await runOnce(rt, noPoll, post({}));
    expect(run!.actions.Call).toMatchObject({ status: "Succeeded", code: "Accepted", outputs: { statusCode: 202 } });
  });

  it("queries, headers and a JSON body are sent as given", async () => {
    let seen: { url?: string; type?: string; custom?: string; body?: string } = {};
    const srv = await startServer((req, body, res) => {
      seen = { url: req.url, type: req.headers["content-type"], custom: req.headers["x-custom"] as string, body };
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("plain");
    });
    closers.push(srv.close);
    const rt = createLogicRuntime(createTestHost());
    const wf = workflow(
      definition({
        Call: {
          type: "Http",
          inputs: {
            method: "post",
            uri: `${srv.url}/p`,
            queries: { q: "a b" },
            headers: { "X-Custom": "@triggerBody()?['h']" },
            body: { n: 1 },
          },
        },
      }),
    );
    const { run } = await runOnce(rt, wf, post({ h: "v" }));
    expect(seen).toEqual({ url: "/p?q=a+b", type: "application/json", custom: "v", body: '{"n":1}' });
    expect(run!.actions.Call!.outputs).toMatchObject({ statusCode: 200, body: "plain" });
  });
});

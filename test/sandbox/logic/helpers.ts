/**
 * Test host for the Logic Apps runtime: the sandbox clock (manual), real HTTP through `fetch` to servers on
 * 127.0.0.1:0, identities and connections from in-memory tables, and a tiny Sentinel-like ARM endpoint that keeps
 * incidents, checks bearer tokens and roles, and enforces etags.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClock, type SandboxClock } from "../../../src/sandbox/common/clock.js";
import {
  createLogicRuntime,
  type DeployedWorkflow,
  type HostConnection,
  type LogicHost,
  type LogicRuntime,
  type TriggerRequest,
} from "../../../src/sandbox/azure/logic/index.js";

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => void handler(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

export interface TestHost extends LogicHost {
  clock: SandboxClock;
  /** Tokens handed out, by audience: "mi:<workflowId>:<aud>" or "conn:<id>:<aud>". */
  issued: string[];
  connections: Map<string, { status: "Connected" | "Error"; authentication: "ManagedServiceIdentity" | "OAuth" }>;
  /** Resolves the next time the runtime waits on the clock (a retry delay, …), with how long it waits. */
  nextTimer(): Promise<{ delayMs: number }>;
}

export function createTestHost(resourceManager = "http://127.0.0.1:1"): TestHost {
  const clock = createClock({ mode: "manual", start: Date.parse("2026-11-27T12:00:00Z") });
  const waiters: ((t: { delayMs: number }) => void)[] = [];
  const wrapped: SandboxClock = {
    ...clock,
    now: () => clock.now(),
    date: () => clock.date(),
    advance: (ms) => clock.advance(ms),
    every: (ms, fn) => clock.every(ms, fn),
    stop: () => clock.stop(),
    at: (t, fn) => {
      const timer = clock.at(t, fn);
      for (const w of waiters.splice(0)) w({ delayMs: t - clock.now() });
      return timer;
    },
    after: (ms, fn) => {
      const timer = clock.after(ms, fn);
      for (const w of waiters.splice(0)) w({ delayMs: ms });
      return timer;
    },
    sleep: (ms) => {
      const slept = clock.sleep(ms);
      for (const w of waiters.splice(0)) w({ delayMs: ms });
      return slept;
    },
  };
  const issued: string[] = [];
  const connections: TestHost["connections"] = new Map();
  return {
    clock: wrapped,
    issued,
    connections,
    resourceManager,
    nextTimer: () => new Promise<{ delayMs: number }>((r) => waiters.push(r)),
    async http(req) {
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      return { status: res.status, headers, body: await res.text() };
    },
    async managedIdentityToken(workflowId, audience) {
      const t = `mi|${workflowId}|${audience}`;
      issued.push(t);
      return t;
    },
    async connection(id): Promise<HostConnection | undefined> {
      const c = connections.get(id);
      if (!c) return undefined;
      return {
        ...c,
        token: async (aud) => {
          const t = `conn|${id}|${aud}`;
          issued.push(t);
          return t;
        },
      };
    },
  };
}

export function workflow(definition: unknown, extra: Partial<DeployedWorkflow> = {}): DeployedWorkflow {
  return {
    id: "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Logic/workflows/wf1",
    name: "wf1",
    definition,
    state: "Enabled",
    principalId: "11111111-1111-1111-1111-111111111111",
    ...extra,
  };
}

/** A definition with a Request trigger named `manual` and the given actions. */
export function definition(
  actions: Record<string, unknown>,
  trigger: Record<string, unknown> = {},
  parameters?: unknown,
) {
  return {
    $schema:
      "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
    contentVersion: "1.0.0.0",
    ...(parameters ? { parameters } : {}),
    triggers: { manual: { type: "Request", kind: "Http", inputs: { schema: {} }, ...trigger } },
    actions,
    outputs: {},
  };
}

export function post(body: unknown, extra: Partial<TriggerRequest> = {}): TriggerRequest {
  return {
    method: "POST",
    query: {},
    headers: { "content-type": "application/json" },
    body: body === undefined ? "" : JSON.stringify(body),
    ...extra,
  };
}

/** Invoke, and wait for the run to finish; returns the caller's answer and the run record. */
export async function runOnce(rt: LogicRuntime, wf: DeployedWorkflow, req: TriggerRequest) {
  const res = await rt.invoke(wf, "manual", req);
  await rt.idle();
  const runId = res.headers["x-ms-workflow-run-id"];
  const run = runId ? rt.run(wf.id, runId) : undefined;
  let json: any;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  return { res, run, json };
}

export { createLogicRuntime };

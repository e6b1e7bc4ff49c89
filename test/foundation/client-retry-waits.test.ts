/**
 * Every client's retries wait by the step context's sleep (ClientOverrides.sleep): in demo and tests that is the
 * sandbox clock, so Azure's "Retry-After: 3" costs milliseconds; in a real run it is real time, stopped by Ctrl-C.
 * Before, the ARM SDK (deployments) and the Elasticsearch transport slept on their own timers, and our other
 * clients got no sleep from the context at all.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStepContext } from "../../src/engine/context.js";
import type { StepContext } from "../../src/engine/types.js";
import { AbortedError } from "../../src/errors.js";
import {
  type AzureSandbox,
  azureConfig,
  sandboxOptions,
  startAzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
} from "../steps/azure/azure-context.js";
import { TestIoHost } from "../helpers/test-io-host.js";

type Answer = number | "reset";

/** Kibana and Elasticsearch stand-ins on 127.0.0.1: each path answers from its script of statuses, then 200. */
function fakeElastic(): Promise<{
  url: string;
  script(path: string, answers: Answer[]): void;
  calls(path: string): number;
  server: Server;
}> {
  const scripts = new Map<string, Answer[]>();
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    req.resume();
    const answer = scripts.get(path)?.shift() ?? 200;
    if (answer === "reset") return void req.socket.destroy();
    const headers = {
      "content-type": "application/json",
      "x-elastic-product": "Elasticsearch",
      "kbn-name": "kb",
      ...(answer === 503 ? { "retry-after": "2" } : {}),
    };
    res.writeHead(answer, headers);
    res.end(
      answer === 200
        ? JSON.stringify(
            path.includes("_search") ? { hits: { hits: [] } } : { _id: "d1", _index: "logs-x", result: "created" },
          )
        : JSON.stringify({ error: { type: "unavailable", reason: "try again" }, status: answer }),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        script: (path, answers) => void scripts.set(path, [...answers]),
        calls: (path) => counts.get(path) ?? 0,
        server,
      }),
    ),
  );
}

let sb: AzureSandbox;
let elastic: Awaited<ReturnType<typeof fakeElastic>>;
beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions());
  elastic = await fakeElastic();
});
afterAll(async () => {
  elastic?.server.closeAllConnections();
  elastic?.server.close();
  await sb?.stop();
});

function context(controller = new AbortController()): { ctx: StepContext; waits: number[] } {
  const waits: number[] = [];
  const ctx = createStepContext({
    config: azureConfig(sb, {
      elastic: { kibanaUrl: elastic.url, elasticsearchUrl: elastic.url, apiKey: "test-api-key-value-1234" },
    }),
    io: new TestIoHost({ interactive: false }),
    overrides: { azureCredential: sb.credential, azureCaCerts: [sb.caCert] },
    signal: controller.signal,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { ctx, waits };
}

const template = {
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  resources: [],
};

describe("client retries wait by the step context's sleep", () => {
  it("Azure deployments (the ARM SDK client): a 503's Retry-After, then success; bounded at two retries", async () => {
    const { ctx, waits } = context();
    const az = await ctx.clients.azure();
    const validate =
      /POST \/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/Microsoft\.Resources\/deployments\/[^/]+\/validate/i;
    sb.faults.set({ routes: [{ match: validate, times: 2, kinds: [503], retryAfterSeconds: 3 }] });
    try {
      const started = Date.now();
      await az.deployments.validate({ resourceGroup: WORKSPACE_RG, name: "probe", template, parameters: {} });
      expect(waits).toEqual([3000, 3000]);
      // The waits were the context's, not real seconds.
      expect(Date.now() - started).toBeLessThan(3000);

      waits.length = 0;
      sb.faults.set({ routes: [{ match: validate, times: 5, kinds: [500] }] });
      const error = await az.deployments
        .validate({ resourceGroup: WORKSPACE_RG, name: "probe", template, parameters: {} })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(waits).toEqual([1000, 2000]);
    } finally {
      sb.faults.set(undefined);
    }
  });

  it("Azure REST calls (ARM reads)", async () => {
    const { ctx, waits } = context();
    const az = await ctx.clients.azure();
    sb.faults.set({ routes: [{ match: /GET .*\/workspaces\//i, times: 1, kinds: [429], retryAfterSeconds: 5 }] });
    try {
      expect((await az.arm.workspace(WORKSPACE_RG, WORKSPACE))?.name).toBe(WORKSPACE);
      expect(waits).toEqual([5000]);
    } finally {
      sb.faults.set(undefined);
    }
  });

  it("Elasticsearch: 502, 503 and a reset of a read are retried by our loop (the transport's timers are off)", async () => {
    const { ctx, waits } = context();
    const es = await ctx.clients.elasticsearch();
    elastic.script("/logs-x/_search", [502, 503, "reset"]);
    const started = Date.now();
    expect(await es.search("logs-x", { match_all: {} })).toEqual([]);
    expect(elastic.calls("/logs-x/_search")).toBe(4);
    expect(waits).toEqual([250, 2000, 1000]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("Elasticsearch: a document without an id is written once, even on a 503 (a repeat could add a second copy)", async () => {
    const { ctx, waits } = context();
    const es = await ctx.clients.elasticsearch();
    elastic.script("/logs-y/_create", [503]);
    elastic.script("/logs-y/_doc", [503]);
    const error = await es.createDocument("logs-y", { message: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(elastic.calls("/logs-y/_doc") + elastic.calls("/logs-y/_create")).toBe(1);
    expect(waits).toEqual([]);
  });

  it("Kibana", async () => {
    const { ctx, waits } = context();
    const kibana = await ctx.clients.kibana();
    elastic.script("/api/status", [503]);
    await kibana.getStatus();
    expect(elastic.calls("/api/status")).toBe(2);
    expect(waits).toEqual([2000]);
  });

  it("a Ctrl-C during a retry's wait stops the call at once", async () => {
    const controller = new AbortController();
    const ctx = createStepContext({
      config: azureConfig(sb),
      io: new TestIoHost({ interactive: false }),
      overrides: { azureCredential: sb.credential, azureCaCerts: [sb.caCert] },
      signal: controller.signal,
    });
    const az = await ctx.clients.azure();
    sb.faults.set({ routes: [{ match: /GET .*\/workspaces\//i, times: 1, kinds: [429], retryAfterSeconds: 30 }] });
    try {
      const started = Date.now();
      const pending = az.arm.workspace(WORKSPACE_RG, WORKSPACE).catch((e: unknown) => e);
      setTimeout(() => controller.abort(), 200);
      const error = await pending;
      expect(error).toBeInstanceOf(AbortedError);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      sb.faults.set(undefined);
    }
  });
});

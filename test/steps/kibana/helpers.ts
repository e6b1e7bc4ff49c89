/**
 * Drives the Kibana steps in-process, as the engine would: plan every step, then apply, then verify, with a
 * StepContext built here (no CLI, no engine). Also a local receiver standing in for the Logic Apps.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedConfig } from "../../../src/config/schema.js";
import { type ClientOverrides, createClients } from "../../../src/engine/clients.js";
import { createSharedState, type SharedState } from "../../../src/engine/shared-state.js";
import type { Change, Check, Step, StepContext } from "../../../src/engine/types.js";
import type { IoHost, Level, Question } from "../../../src/io/io-host.js";
import { createKibanaClient } from "../../../src/kibana/client.js";
import { resolveNames } from "../../../src/names.js";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { kibanaPreflightSteps, kibanaSteps } from "../../../src/steps/kibana/index.js";

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function makeConfig(over: DeepPartial<ResolvedConfig> = {}): ResolvedConfig {
  const base: ResolvedConfig = {
    elastic: { space: "default" },
    azure: {
      cloud: "AzureCloud",
      endpoints: {},
      subscriptionId: "00000000-1111-2222-3333-444444444444",
      resourceGroup: "rg-sentinel",
      credential: "default",
    },
    sentinel: { workspaceName: "ws-sentinel", authorization: "managed-identity", portal: "auto" },
    features: { caseSync: true, alertForwarding: true, sentinelToElastic: false },
    rule: { query: "message:malware", interval: "5m", severity: "high", riskScore: 73, sentinelKind: "nrt" },
    alerts: { action: "summary", webhookAuth: "sas", table: "ElasticAlerts_CL" },
    cases: { criticalSeverity: "High" },
    naming: { prefix: "elastic-sentinel" },
    sentinelToElastic: { interval: "5m", eventHub: { consumerGroup: "$Default" } },
  };
  const out = structuredClone(base) as Record<string, Record<string, unknown>>;
  for (const [k, v] of Object.entries(over)) out[k] = { ...out[k], ...(v as Record<string, unknown>) };
  return out as unknown as ResolvedConfig;
}

export function sandboxConfig(sb: ElasticSandbox, over: DeepPartial<ResolvedConfig> = {}): ResolvedConfig {
  return makeConfig({
    ...over,
    elastic: {
      kibanaUrl: sb.kibanaUrl,
      elasticsearchUrl: sb.elasticsearchUrl,
      apiKey: sb.apiKey,
      space: "default",
      ...over.elastic,
    },
  });
}

export interface TestIo extends IoHost {
  messages: { level: Level; text: string }[];
  questions: Question[];
}

/** Answers confirmations from `answers` by code; an unexpected question fails the test. */
export function testIo(answers: Record<string, string | boolean> = {}): TestIo {
  const messages: { level: Level; text: string }[] = [];
  const questions: Question[] = [];
  return {
    interactive: false,
    assumeYes: false,
    messages,
    questions,
    async ask(q) {
      questions.push(q);
      if (!(q.code in answers)) throw new Error(`unexpected question ${q.code}: ${q.message}`);
      return answers[q.code] as never;
    },
    message(level, text) {
      messages.push({ level, text });
    },
    progress() {
      return { update() {}, succeed() {}, fail() {}, stop() {} };
    },
    result() {},
  };
}

export function makeContext(
  config: ResolvedConfig,
  options: {
    io?: IoHost;
    shared?: SharedState;
    overrides?: ClientOverrides;
    now?: () => number;
    /** Record Kibana retry waits instead of waiting (fault tests). */
    waits?: number[];
  } = {},
): StepContext {
  const overrides = options.overrides ?? {};
  const clients = createClients(config, overrides);
  const waits = options.waits;
  if (waits) {
    let kibana: ReturnType<typeof createKibanaClient> | undefined;
    clients.kibana = () => {
      kibana ??= createKibanaClient(config, overrides, {
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      return kibana;
    };
  }
  return {
    config,
    names: resolveNames(config),
    io: options.io ?? testIo(),
    clients,
    shared: options.shared ?? createSharedState(),
    signal: new AbortController().signal,
    now: options.now ?? Date.now,
    sleep: async () => {},
  };
}

export const allKibanaSteps = (): Step[] => [...kibanaPreflightSteps, ...kibanaSteps];

export interface RunResult {
  plan: Change[];
  checks: Check[];
}

/**
 * plan all → (Azure side would run here: `between`) → apply all → verify all, in the order of the steps.
 * `dryRun` stops after the plan.
 */
export async function runSetup(
  ctx: StepContext,
  options: { between?: (ctx: StepContext) => void; dryRun?: boolean; steps?: Step[] } = {},
): Promise<RunResult> {
  const steps = (options.steps ?? allKibanaSteps()).filter((s) => s.enabled(ctx.config));
  const planned: [Step, Change[]][] = [];
  for (const s of steps) planned.push([s, await s.plan(ctx)]);
  const plan = planned.flatMap(([, c]) => c);
  if (options.dryRun) return { plan, checks: [] };
  options.between?.(ctx);
  for (const [s, changes] of planned) await s.apply(ctx, changes);
  const checks: Check[] = [];
  for (const s of steps) if (s.verify) checks.push(...(await s.verify(ctx)));
  return { plan, checks };
}

export const changed = (plan: Change[]) => plan.filter((c) => c.action !== "no-op");

/** A stand-in for the Logic Apps: case-sync (POST), case-get (GET) and alert-ingest (POST), with `sig` in the URL. */
export interface Receiver {
  baseUrl: string;
  urls: { caseSync: string; caseGet: string; alertIngest: string };
  /** Same workflows under another signature, as after a key rotation. */
  rotatedUrls: { caseSync: string; caseGet: string; alertIngest: string };
  requests: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
    raw: string;
    headers: IncomingMessage["headers"];
  }[];
  incidents: Map<string, { title: string }>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Receiver["requests"] = [];
  const incidents = new Map<string, { title: string }>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://x");
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = { invalidJson: raw };
      }
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        body,
        raw,
        headers: req.headers,
      });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(payload));
      };
      const b = (body ?? {}) as Record<string, unknown>;
      if (url.pathname.includes("case-sync")) {
        if (b.action === "create-incident") {
          const id = `incident-${++n}`;
          incidents.set(id, { title: String(b.case_title) });
          return send(200, { sentinel_incident_id: id, incident_url: `https://portal.example/${id}` });
        }
        if (b.action === "update-incident" || b.action === "add-comment-to-incident")
          return send(200, { sentinel_incident_id: b.sentinel_incident_id });
        return send(400, { error: { code: "UnknownAction", message: "unknown action" } });
      }
      if (url.pathname.includes("case-get")) {
        const id = url.searchParams.get("sentinel_incident_id") ?? "";
        const inc = incidents.get(id);
        return inc
          ? send(200, { title: inc.title, url: `https://portal.example/${id}` })
          : send(404, { error: { code: "NotFound", message: id } });
      }
      if (url.pathname.includes("alert-ingest")) {
        const alerts = Array.isArray(b.alerts) ? b.alerts.length : 0;
        return send(200, { ingested: alerts });
      }
      send(404, { error: { code: "NotFound", message: url.pathname } });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = (wf: string, sig: string) =>
    `${baseUrl}/workflows/${wf}/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;
  const urls = (sig: string) => ({
    caseSync: url("case-sync", sig),
    caseGet: url("case-get", sig),
    alertIngest: url("alert-ingest", sig),
  });
  return {
    baseUrl,
    urls: urls("CANARYsig0000000000000000000000001"),
    rotatedUrls: urls("CANARYsig0000000000000000000000002"),
    requests,
    incidents,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * Drives the Azure steps in-process against the Azure sandbox, the way `setup` does (plan every step, then
 * apply the steps that have changes, in order), without depending on the CLI. Waits go through the sandbox
 * clock, so propagation delays and polling cost no real time.
 */
import { nest } from "../../../src/config/load.js";
import { inputs } from "../../../src/config/registry.js";
import { type ResolvedConfig, configSchema } from "../../../src/config/schema.js";
import { createStepContext } from "../../../src/engine/context.js";
import type { Change, Step, StepContext } from "../../../src/engine/types.js";
import { type AzureSandbox, type AzureSandboxOptions, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { azurePreflightSteps, azureSteps } from "../../../src/steps/azure/index.js";
import { TestIoHost, type TestIoHostOptions } from "../../helpers/test-io-host.js";

export const LOGIC_RG = "rg-logic";
export const WORKSPACE_RG = "rg-sec";
export const WORKSPACE = "ws-sentinel";

export function sandboxOptions(extra: AzureSandboxOptions = {}): AzureSandboxOptions {
  return {
    resourceGroups: [
      { name: LOGIC_RG, location: "westeurope" },
      { name: WORKSPACE_RG, location: "westeurope" },
    ],
    workspaces: [{ name: WORKSPACE, resourceGroup: WORKSPACE_RG }],
    ...extra,
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function azureConfig(sb: AzureSandbox, patch: DeepPartial<ResolvedConfig> = {}): ResolvedConfig {
  const base = {
    elastic: { space: "default" },
    azure: {
      cloud: "AzureCloud",
      endpoints: {
        resourceManager: sb.endpoints.resourceManager,
        logAnalytics: sb.endpoints.logAnalytics,
        portal: sb.endpoints.portal,
      },
      tenantId: sb.tenantId,
      subscriptionId: sb.subscriptionId,
      resourceGroup: LOGIC_RG,
      credential: "default",
    },
    sentinel: {
      workspaceName: WORKSPACE,
      resourceGroup: WORKSPACE_RG,
      authorization: "managed-identity",
      portal: "auto",
    },
    features: { caseSync: true, alertForwarding: true, sentinelToElastic: false },
    rule: { query: "message:malware", interval: "5m", severity: "high", riskScore: 73, sentinelKind: "nrt" },
    alerts: { action: "summary", table: "ElasticAlerts_CL" },
    cases: { criticalSeverity: "High" },
    naming: { prefix: "elastic-sentinel" },
  };
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      out[k] =
        v && typeof v === "object" && !Array.isArray(v) && a[k] && typeof a[k] === "object"
          ? merge(a[k] as Record<string, unknown>, v as Record<string, unknown>)
          : v;
    }
    return out;
  };
  // Every other input at its registry default, so the config stays valid as the schema grows.
  const defaults = nest(
    Object.fromEntries(inputs.filter((i) => i.default !== undefined).map((i) => [i.key, i.default])),
  );
  return configSchema.parse(merge(merge(defaults, base), patch as Record<string, unknown>));
}

export interface AzureRun {
  ctx: StepContext;
  io: TestIoHost;
}

/** A fresh run (new StepContext and IoHost, like a new process) against the sandbox. */
export function azureRun(sb: AzureSandbox, config: ResolvedConfig, io: TestIoHostOptions | TestIoHost = {}): AzureRun {
  const host = io instanceof TestIoHost ? io : new TestIoHost({ interactive: false, ...io });
  const ctx = createStepContext({
    config,
    io: host,
    overrides: { azureCredential: sb.credential, azureCaCerts: [sb.caCert] },
    now: () => sb.clock.now(),
    sleep: (ms) => sb.clock.advance(ms),
  });
  return { ctx, io: host };
}

export const allAzureSteps = (): Step[] => [...azurePreflightSteps, ...azureSteps];

/** Plan every enabled step in order (as setup does before asking for confirmation). */
export async function planAll(ctx: StepContext, steps = allAzureSteps()): Promise<Change[]> {
  const changes: Change[] = [];
  for (const s of steps) if (s.enabled(ctx.config)) changes.push(...(await s.plan(ctx)));
  return changes;
}

/** Apply, in order, the steps that have changes (the engine skips steps whose changes are all no-ops). */
export async function applyAll(ctx: StepContext, changes: Change[], steps = allAzureSteps()): Promise<void> {
  for (const s of steps) {
    const mine = changes.filter((c) => c.step === s.id && c.action !== "no-op");
    if (s.enabled(ctx.config) && mine.length) await s.apply(ctx, mine);
  }
}

export async function setupRun(sb: AzureSandbox, config: ResolvedConfig, io?: TestIoHostOptions | TestIoHost) {
  const run = azureRun(sb, config, io);
  const changes = await planAll(run.ctx);
  await applyAll(run.ctx, changes);
  return { ...run, changes };
}

export { startAzureSandbox };
export type { AzureSandbox };

/** The rows of a plan that would change something. */
export const actionable = (changes: Change[]) => changes.filter((c) => c.action !== "no-op");

/** A browser visit of a sandbox page (trusting the sandbox CA). */
export async function visit(sb: AzureSandbox, url: string): Promise<void> {
  const { request } = await import("node:https");
  await new Promise<void>((resolve, reject) => {
    request(url, { ca: sb.caCert }, (res) => {
      res.resume();
      res.on("end", () => resolve());
    })
      .on("error", reject)
      .end();
  });
}

/** An interactive host whose "person" opens the OAuth consent link as soon as it is shown. */
export function consentingIoHost(sb: AzureSandbox): TestIoHost {
  return new (class extends TestIoHost {
    override message(level: Parameters<TestIoHost["message"]>[0], text: string) {
      super.message(level, text);
      const link = /consent link and sign in: (\S+)/.exec(text)?.[1];
      if (link) void visit(sb, link);
    }
  })({ interactive: true });
}

/** A table as the Log Analytics query API returns it (dynamic columns arrive as JSON text, as in Azure). */
export async function queryTable(sb: AzureSandbox, table: string): Promise<Record<string, any>[]> {
  const { createHttpClient, tlsOptionsFor } = await import("../../../src/azure/pipeline.js");
  const http = await createHttpClient({
    credential: sb.credential,
    scope: "https://api.loganalytics.io/.default",
    tls: tlsOptionsFor([sb.caCert]),
  });
  const ws = sb.state.getResource(sb.state.workspaceId(WORKSPACE_RG, WORKSPACE));
  const customerId = (ws?.properties as { customerId?: string } | undefined)?.customerId;
  const res = await http.request<{ tables: { columns: { name: string; type: string }[]; rows: unknown[][] }[] }>(
    "POST",
    `${sb.endpoints.logAnalytics}/v1/workspaces/${customerId}/query`,
    { body: { query: table, timespan: "P1D" }, accept: [400] },
  );
  if (res.status === 400) return []; // the table does not exist (yet)
  const t = res.body.tables[0]!;
  return t.rows.map((r) =>
    Object.fromEntries(
      t.columns.map((c, i) => [
        c.name,
        c.type === "dynamic" && typeof r[i] === "string" ? JSON.parse(r[i] as string) : r[i],
      ]),
    ),
  );
}

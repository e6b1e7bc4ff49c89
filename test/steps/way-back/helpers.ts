/**
 * Drives the way-back steps as the engine would (plan every step, then apply, then verify) against the Fleet
 * emulator mounted on a plain router on 127.0.0.1:0, the real Kibana HTTP client, and an in-memory fake of the
 * role-assignment calls with its own rules (below).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedConfig } from "../../../src/config/schema.js";
import type { Clients } from "../../../src/engine/clients.js";
import { createSharedState } from "../../../src/engine/shared-state.js";
import type { Change, Check, Step, StepContext, TeardownStep } from "../../../src/engine/types.js";
import type { IoHost } from "../../../src/io/io-host.js";
import { createKibanaHttp } from "../../../src/kibana/http.js";
import { resolveNames } from "../../../src/names.js";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { createRouter } from "../../../src/sandbox/common/router.js";
import {
  type FleetEmulator,
  type FleetEmulatorOptions,
  installFleetEmulator,
} from "../../../src/sandbox/elastic-fleet/index.js";
import type {
  RoleAssignmentInfo,
  RoleAssignmentsApi,
  ServicePrincipal,
} from "../../../src/steps/way-back/azure-roles.js";

export const SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";
export const TENANT = "99999999-8888-7777-6666-555555555555";
export const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
export const CLIENT_SECRET = "s3cr3t-client-value-Zq9";
export const WORKSPACE_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/ws-sentinel`;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function wayBackConfig(over: DeepPartial<ResolvedConfig> = {}): ResolvedConfig {
  const base: ResolvedConfig = {
    elastic: { space: "default" },
    azure: {
      cloud: "AzureCloud",
      endpoints: {},
      subscriptionId: SUBSCRIPTION,
      resourceGroup: "rg-sentinel",
      tenantId: TENANT,
      credential: "default",
    },
    sentinel: { workspaceName: "ws-sentinel", authorization: "managed-identity", portal: "auto" },
    features: { caseSync: false, alertForwarding: false, sentinelToElastic: true },
    rule: { query: "*", interval: "5m", severity: "high", riskScore: 73, sentinelKind: "nrt" },
    alerts: { action: "summary", webhookAuth: "sas", table: "ElasticAlerts_CL" },
    cases: { criticalSeverity: "High" },
    naming: { prefix: "elastic-sentinel" },
    sentinelToElastic: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      interval: "5m",
      eventHub: { consumerGroup: "$Default" },
    },
  };
  const out = structuredClone(base) as Record<string, Record<string, unknown>>;
  for (const [k, v] of Object.entries(over)) out[k] = { ...out[k], ...(v as Record<string, unknown>) };
  return out as unknown as ResolvedConfig;
}

/**
 * In-memory role assignments. Rules it keeps, as ARM does: one assignment per (principal, role, scope);
 * listing by principal returns assignments at the scope and above; `forbidden` makes writes answer 403 and
 * `canWrite` false; the service principal exists only when registered.
 */
export class FakeRoleAssignments implements RoleAssignmentsApi {
  readonly principals = new Map<string, ServicePrincipal>();
  readonly assignments = new Map<string, RoleAssignmentInfo>();
  forbidden = false;
  writes = 0;

  addApp(appId: string, objectId = "aaaaaaaa-0000-0000-0000-000000000001"): ServicePrincipal {
    const sp = { id: objectId, appId, displayName: "sentinel-integration" };
    this.principals.set(appId.toLowerCase(), sp);
    return sp;
  }
  async findServicePrincipalByAppId(appId: string) {
    return this.principals.get(appId.toLowerCase());
  }
  /** By principal: at the scope and above; without one: every assignment at the scope and above (`atScope()`). */
  async listRoleAssignments(scope: string, principalId?: string) {
    return [...this.assignments.values()].filter(
      (a) =>
        (principalId === undefined || a.principalId === principalId) &&
        scope.toLowerCase().startsWith(a.scope.toLowerCase()),
    );
  }
  async getRoleAssignment(id: string) {
    return this.assignments.get(id.toLowerCase());
  }
  async createRoleAssignment(a: Parameters<RoleAssignmentsApi["createRoleAssignment"]>[0]) {
    if (this.forbidden) throw Object.assign(new Error("AuthorizationFailed"), { status: 403 });
    const dup = [...this.assignments.values()].find(
      (x) =>
        x.principalId === a.principalId &&
        x.roleDefinitionId === a.roleDefinitionId &&
        x.scope === a.scope &&
        x.name !== a.name,
    );
    if (dup) throw Object.assign(new Error("RoleAssignmentExists"), { status: 409 });
    const id = `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`;
    const rec = {
      id,
      name: a.name,
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      description: a.description,
    };
    this.assignments.set(id.toLowerCase(), rec);
    this.writes++;
    return rec;
  }
  async deleteRoleAssignment(id: string) {
    this.assignments.delete(id.toLowerCase());
    this.writes++;
  }
  async canWriteRoleAssignments() {
    return !this.forbidden;
  }
}

export interface FakeEs {
  docs: Record<string, unknown>[];
  search: (
    index: string,
    query: Record<string, unknown>,
    options?: { size?: number },
  ) => Promise<{ _id: string; _index: string; _source?: never }[]>;
}

export interface Harness {
  fleet: FleetEmulator;
  roles: FakeRoleAssignments;
  baseUrl: string;
  ctx(config?: ResolvedConfig, es?: FakeEs): StepContext;
  close(): Promise<void>;
}

export async function startHarness(options: FleetEmulatorOptions & { kibanaVersion?: string } = {}): Promise<Harness> {
  const clock = createClock({ mode: "manual", start: Date.UTC(2026, 0, 1) });
  const host = { version: options.kibanaVersion ?? "9.1.0", clock };
  const router = createRouter();
  router.on("GET", "/api/status", () => ({
    status: 200,
    body: { version: { number: host.version, build_flavor: "traditional" } },
  }));
  const fleet = installFleetEmulator(router, host, options);
  const server: Server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const roles = new FakeRoleAssignments();
  roles.addApp(CLIENT_ID);
  return {
    fleet,
    roles,
    baseUrl,
    ctx(config = wayBackConfig(), es?: FakeEs) {
      const http = createKibanaHttp({
        baseUrl,
        space: "default",
        auth: { kind: "apiKey", apiKey: "test-api-key-0001" },
        retry: { maxAttempts: 1 },
      });
      const clients: Clients = {
        kibana: async () => ({ http }) as never,
        azure: async () => ({ roleAssignments: roles }) as never,
        elasticsearch: async () => (es ?? { search: async () => [] }) as never,
      };
      return {
        config,
        names: resolveNames(config),
        io: silentIo(),
        clients,
        shared: createSharedState(),
        signal: new AbortController().signal,
        now: () => clock.now(),
        sleep: async () => {},
      };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function silentIo(): IoHost {
  return {
    interactive: false,
    assumeYes: true,
    async ask(q) {
      throw new Error(`unexpected question ${q.code}`);
    },
    message() {},
    progress: () => ({ update() {}, succeed() {}, fail() {}, stop() {} }),
    result() {},
  };
}

/** Plan every enabled step, then apply those with changes; returns the plan. */
export async function run(steps: (Step | TeardownStep)[], ctx: StepContext): Promise<Change[]> {
  const enabled = steps.filter((s) => s.enabled(ctx.config));
  const plans: Change[][] = [];
  for (const s of enabled) plans.push(await s.plan(ctx));
  for (let i = 0; i < enabled.length; i++) {
    const changes = plans[i]!.filter((c) => c.action !== "no-op");
    if (changes.length) await enabled[i]!.apply(ctx, changes);
  }
  return plans.flat();
}

export async function verifyAll(steps: Step[], ctx: StepContext): Promise<Check[]> {
  const out: Check[] = [];
  for (const s of steps) if (s.verify) out.push(...(await s.verify(ctx)));
  return out;
}

/**
 * The demo's world: the Azure and the Kibana/Elasticsearch sandboxes on one fast clock, with a resource
 * group, a Sentinel workspace and an app registration for the way back (Sentinel → Elastic) already there,
 * Fleet set up in Kibana, and the configuration that points our CLI at them.
 */
import { request as httpsRequest } from "node:https";
import { parse as parseYaml } from "yaml";
import type { SandboxClock } from "../sandbox/common/clock.js";
import type { FleetEmulator } from "../sandbox/elastic/index.js";

export const DEMO = {
  resourceGroup: "rg-sentinel-elastic-demo",
  location: "westeurope",
  workspace: "sentinel-demo",
  /** Display name of the app registration the way back's integration signs in with. */
  integrationApp: "sentinel-elastic-demo-integration",
  space: "default",
  /** Sandbox minutes per real second: a 5-minute rule interval takes 5 s. */
  speed: 60,
  /** What Azure really takes, roughly: ingestion latency and role-assignment propagation (sandbox ms). */
  ingestionLatencyMs: 2 * 60_000,
  roleAssignmentDelayMs: 60_000,
} as const;

export interface DemoWorld {
  clock: SandboxClock;
  azure: Awaited<ReturnType<typeof import("../sandbox/azure/index.js")["startAzureSandbox"]>>;
  elastic: Awaited<ReturnType<typeof import("../sandbox/elastic/index.js")["startElasticSandbox"]>>;
  /** Config-file inputs (no secrets). */
  inputs: Record<string, unknown>;
  /** Secret inputs, by env var, handed to the run in memory only. */
  secretEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startDemoWorld(options: { speed?: number } = {}): Promise<DemoWorld> {
  const { randomBytes, randomUUID } = await import("node:crypto");
  const { createClock } = await import("../sandbox/common/clock.js");
  const { startAzureSandbox } = await import("../sandbox/azure/index.js");
  const { startElasticSandbox } = await import("../sandbox/elastic/index.js");
  const clock = createClock({ mode: "scaled", speed: options.speed ?? DEMO.speed });
  // The app registration the microsoft_sentinel integration signs in with (the way back): a sandbox-only
  // client id and secret, made fresh for each run.
  const integrationApp = {
    appId: randomUUID(),
    displayName: DEMO.integrationApp,
    clientSecret: randomBytes(24).toString("base64url"),
  };
  const azure = await startAzureSandbox({
    clock,
    resourceGroups: [{ name: DEMO.resourceGroup, location: DEMO.location }],
    workspaces: [{ name: DEMO.workspace, resourceGroup: DEMO.resourceGroup, location: DEMO.location, sentinel: true }],
    ingestionLatencyMs: DEMO.ingestionLatencyMs,
    roleAssignmentDelayMs: DEMO.roleAssignmentDelayMs,
    servicePrincipals: [integrationApp],
  });
  let elastic: DemoWorld["elastic"];
  try {
    elastic = await startElasticSandbox({
      clock,
      kibanaVersion: "9.2.0",
      license: "platinum",
      extraCaCerts: [azure.caCert],
      // Fleet set up (no missing requirements), for the way back's package and policies.
      fleet: {},
    });
  } catch (error) {
    await azure.stop();
    clock.stop();
    throw error;
  }
  // One incident from another detection, so the way back has something to carry into Elastic; ours (from
  // the case and alert paths) come later and are dropped by the echo filter.
  azure.state.upsertIncident(azure.state.workspaceId(DEMO.resourceGroup, DEMO.workspace), randomUUID(), {
    title: "Sign-in from an unfamiliar location followed by mass download",
    severity: "Medium",
    status: "New",
    description: "Raised by a Sentinel analytics rule of the SOC (sandbox sample).",
  });
  const stopAgent = startSentinelAgent({ azure, elastic, clock });
  const inputs: Record<string, unknown> = {
    "elastic.kibanaUrl": elastic.kibanaUrl,
    "elastic.elasticsearchUrl": elastic.elasticsearchUrl,
    "elastic.space": DEMO.space,
    "azure.tenantId": azure.tenantId,
    "azure.subscriptionId": azure.subscriptionId,
    "azure.resourceGroup": DEMO.resourceGroup,
    "azure.location": DEMO.location,
    "azure.endpoints.resourceManager": azure.endpoints.resourceManager,
    "azure.endpoints.logAnalytics": azure.endpoints.logAnalytics,
    "azure.endpoints.portal": azure.endpoints.portal,
    "azure.endpoints.graph": azure.endpoints.graph,
    "sentinel.workspaceName": DEMO.workspace,
    "sentinel.resourceGroup": DEMO.resourceGroup,
    "features.sentinelToElastic": true,
    "sentinelToElastic.clientId": integrationApp.appId,
    // Agentless: the demo's agent (startSentinelAgent) runs it, as Elastic's agentless service would.
    "sentinelToElastic.agentPolicyId": "agentless",
  };
  return {
    clock,
    azure,
    elastic,
    inputs,
    secretEnv: { ELASTIC_API_KEY: elastic.apiKey, SENTINEL_TO_ELASTIC_CLIENT_SECRET: integrationApp.clientSecret },
    async stop() {
      stopAgent();
      await Promise.allSettled([elastic.stop(), azure.stop()]);
      clock.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The demo's stand-in for the Elastic Agent that runs the microsoft_sentinel integration.

type Azure = DemoWorld["azure"];
type Elastic = DemoWorld["elastic"];
type Stored = FleetEmulator["state"]["packagePolicies"] extends Map<string, infer P> ? P : never;

const INCIDENTS_API_VERSION = "2025-09-01";
const INCIDENT_DATA_STREAM = "logs-microsoft_sentinel.incident-default";

/**
 * Runs the incident stream of every microsoft_sentinel package policy that is agentless or has an enrolled
 * agent, as an agent would: at once, then every stream `interval`, it signs in as the app registration with the
 * policy's client id and secret (client-credentials grant at the sandbox login), lists the workspace's
 * incidents from Sentinel (a 403 before the role assignment propagates is retried), makes the event the CEL
 * program makes (`message` = the incident's JSON), runs the stream's `processors` (our echo filter's
 * `drop_event`), and indexes what is left into logs-microsoft_sentinel.incident-default with the fields the
 * package's pipeline writes that verify reads. Alerts and Event Hub are not simulated. Returns a stop function.
 */
export function startSentinelAgent(world: { azure: Azure; elastic: Elastic; clock: SandboxClock }): () => void {
  const { clock } = world;
  const seen = new Map<string, string>();
  const nextPoll = new Map<string, number>();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const pp of world.elastic.fleet.state.packagePolicies.values()) {
        if ((nextPoll.get(pp.id) ?? 0) > clock.now()) continue;
        const stream = runnableIncidentStream(world.elastic, pp);
        if (!stream) continue;
        // An agent retries a failed poll soon; a sandbox minute is a real second in the demo.
        const ok = await pollIncidents(world, pp, stream.vars, seen).catch(() => false);
        nextPoll.set(pp.id, clock.now() + (ok ? intervalMs(stream.vars.interval) : 30_000));
      }
    } finally {
      busy = false;
    }
  };
  const timer = clock.every(10_000, tick);
  return () => timer.cancel();
}

function runnableIncidentStream(elastic: Elastic, pp: Stored) {
  if (pp.package.name !== "microsoft_sentinel") return undefined;
  const running =
    pp.supports_agentless || pp.policy_ids.some((id) => (elastic.fleet.state.agentPolicies.get(id)?.agents ?? 0) > 0);
  const input = pp.inputs.get("microsoft_sentinel-cel");
  const stream = input?.streams.get("microsoft_sentinel.incident");
  if (!running || !input?.enabled || !stream?.enabled) return undefined;
  return { vars: { ...input.vars, ...stream.vars } as Record<string, unknown> };
}

const intervalMs = (v: unknown) => {
  const m = /^(\d+)([smh])$/.exec(String(v ?? ""));
  return m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"] : 5 * 60_000;
};

async function pollIncidents(
  world: { azure: Azure; elastic: Elastic; clock: SandboxClock },
  pp: Stored,
  vars: Record<string, unknown>,
  seen: Map<string, string>,
): Promise<boolean> {
  const { azure, elastic } = world;
  const secret = (v: unknown) =>
    v && typeof v === "object" && "id" in v ? elastic.fleet.state.secrets.get(String(v.id)) : (v as string | undefined);
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: secret(vars.client_id) ?? "",
    client_secret: secret(vars.client_secret) ?? "",
    scope: "https://management.azure.com/.default",
  });
  const login = await httpsJson(azure, "POST", `${azure.endpoints.login}/${vars.tenant_id}/oauth2/v2.0/token`, form);
  const token = (login.body as { access_token?: string } | undefined)?.access_token;
  if (login.status !== 200 || !token) return false;
  const ws = `/subscriptions/${vars.subscription_id}/resourceGroups/${vars.resource_group_name}/providers/Microsoft.OperationalInsights/workspaces/${vars.workspace_name}`;
  let url: string | undefined =
    `${azure.endpoints.resourceManager}${ws}/providers/Microsoft.SecurityInsights/incidents?api-version=${INCIDENTS_API_VERSION}`;
  const docs: Record<string, unknown>[] = [];
  while (url) {
    const page = await httpsJson(azure, "GET", url, undefined, token);
    if (page.status !== 200) return false;
    const body = page.body as { value?: Record<string, any>[]; nextLink?: string };
    for (const incident of body.value ?? []) {
      const modified = String(incident.properties?.lastModifiedTimeUtc ?? "");
      if (seen.get(`${pp.id} ${incident.id}`) === modified) continue;
      seen.set(`${pp.id} ${incident.id}`, modified);
      if (!dropByProcessors(vars.processors, { message: JSON.stringify(incident) }))
        docs.push(incidentDocument(incident, world.clock.now()));
    }
    url = body.nextLink;
  }
  if (docs.length) elastic.state.indexDocuments(INCIDENT_DATA_STREAM, docs);
  return true;
}

/** The fields of the package's incident pipeline that verify reads (microsoft_sentinel.incident.*, rule.id). */
function incidentDocument(incident: Record<string, any>, now: number): Record<string, unknown> {
  const p = incident.properties ?? {};
  return {
    "@timestamp": p.lastModifiedTimeUtc ?? p.createdTimeUtc ?? new Date(now).toISOString(),
    data_stream: { type: "logs", dataset: "microsoft_sentinel.incident", namespace: "default" },
    event: { kind: "event", dataset: "microsoft_sentinel.incident", created: new Date(now).toISOString() },
    microsoft_sentinel: {
      incident: {
        id: incident.id,
        name: incident.name,
        properties: {
          title: p.title,
          severity: p.severity,
          status: p.status,
          incident_number: p.incidentNumber,
          labels: (p.labels ?? []).map((l: { labelName: string; labelType?: string }) => ({
            name: l.labelName,
            type: l.labelType,
          })),
          related_analytic_rule_ids: p.relatedAnalyticRuleIds ?? [],
        },
      },
    },
    ...(p.relatedAnalyticRuleIds?.length ? { rule: { id: p.relatedAnalyticRuleIds } } : {}),
  };
}

/** Beats `drop_event` processors with the libbeat conditions our echo filter uses (or/and/not/regexp/contains/equals). */
function dropByProcessors(processors: unknown, event: Record<string, unknown>): boolean {
  if (typeof processors !== "string" || !processors.trim()) return false;
  const list = (parseYaml(processors) ?? []) as { drop_event?: { when?: Record<string, unknown> } }[];
  return list.some((p) => p?.drop_event && (!p.drop_event.when || matches(p.drop_event.when, event)));
}

function matches(condition: Record<string, unknown>, event: Record<string, unknown>): boolean {
  const [[kind, arg]] = Object.entries(condition) as [[string, any]];
  const fields = () => Object.entries(arg as Record<string, unknown>);
  switch (kind) {
    case "or":
      return (arg as Record<string, unknown>[]).some((c) => matches(c, event));
    case "and":
      return (arg as Record<string, unknown>[]).every((c) => matches(c, event));
    case "not":
      return !matches(arg, event);
    case "regexp":
      return fields().every(([f, p]) => {
        // Go RE2 (libbeat): a leading (?i) is JavaScript's `i` flag; our patterns use only the common subset.
        const ci = String(p).startsWith("(?i)");
        return (
          typeof event[f] === "string" &&
          new RegExp(String(p).slice(ci ? 4 : 0), ci ? "i" : "").test(event[f] as string)
        );
      });
    case "contains":
      return fields().every(([f, s]) => typeof event[f] === "string" && (event[f] as string).includes(String(s)));
    case "equals":
      return fields().every(([f, v]) => event[f] === v);
    default:
      throw new Error(`the demo agent does not evaluate '${kind}' conditions`);
  }
}

function httpsJson(
  azure: Azure,
  method: string,
  url: string,
  form?: URLSearchParams,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    if (token) headers.authorization = `Bearer ${token}`;
    const req = httpsRequest(url, { method, headers, ca: azure.caCert }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => {
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end(form?.toString());
  });
}

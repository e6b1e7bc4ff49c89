/**
 * The demo's stand-in for the Elastic Agent that runs the microsoft_sentinel integration (the way back).
 */
import { request as httpsRequest } from "node:https";
import { parse as parseYaml } from "yaml";
import type { SandboxClock } from "../sandbox/common/clock.js";
import type { FleetEmulator } from "../sandbox/elastic/index.js";
import type { DemoWorld } from "./sandboxes.js";

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
        // An agent retries a failed poll soon. The polling interval is a modelled duration (compressed in the demo).
        const ok = await pollIncidents(world, pp, stream.vars, seen).catch(() => false);
        nextPoll.set(pp.id, clock.due(ok ? intervalMs(stream.vars.interval) : 30_000));
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

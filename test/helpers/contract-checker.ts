/**
 * Checks one recorded request against the published contracts vendored in test/contracts/: the operation must
 * exist (method and path), name an api-version the contract publishes, carry the headers the service requires,
 * and send a body that its schema accepts (types, enums, required members, no read-only or unknown members).
 * Deployments are checked as deployed: each template resource, after its parameters, against the ARM template
 * schema of its type at its api-version. Reviewed exceptions come from allow-list.json, each with its evidence.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Finding, type Schema, validate } from "./contract-schema.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "contracts");
const load = (file: string): any => JSON.parse(readFileSync(join(DIR, file), "utf8"));

export interface RecordedRequest {
  service: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

export interface Breach {
  family: string;
  request: string;
  rule: Finding["rule"] | "unknown-operation" | "api-version" | "header" | "query" | "body" | "no-schema";
  path?: string;
  message: string;
}

interface Operation {
  family: string;
  service: string;
  method: string;
  path: string;
  source: string;
  apiVersions?: string[];
  body?: Schema;
  bodyOptional?: boolean;
  headers?: Record<string, string>;
  template?: boolean;
  connectorConfig?: boolean;
  connectorParams?: boolean;
  streamPattern?: string;
  /** Required query parameters: `a|b` means one of them. */
  query?: Record<string, boolean>;
}

interface AllowEntry {
  id: string;
  family: string;
  rule: string;
  path?: string;
  operation?: string;
  caseInsensitive?: boolean;
  why: string;
  evidence: string;
}

const ARM_EXPRESSION = "https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression";

/** All vendored schemas under one name space: "<doc>#<name>" (and "arm:<type@version>#<definition>"). */
function buildRegistry(): Map<string, Schema> {
  const reg = new Map<string, Schema>();
  const rewrite = (node: unknown, local: (ref: string) => string): any => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, local));
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node))
      out[k] = k === "$ref" && typeof v === "string" ? local(v) : rewrite(v, local);
    return out;
  };
  const incidents = load("azure/incidents-2025-09-01.json");
  for (const [k, v] of Object.entries<Schema>(incidents.definitions))
    reg.set(
      `incidents#${k}`,
      rewrite(v, (r) => `incidents#${r.replace("#/definitions/", "")}`),
    );
  const arm = load("arm/resource-schemas.json");
  reg.set(ARM_EXPRESSION, arm.expression);
  for (const [key, entry] of Object.entries<any>(arm.resources)) {
    const local = (r: string) =>
      r === ARM_EXPRESSION ? r : `arm:${key.split("#")[0]}#${r.replace("#/definitions/", "")}`;
    reg.set(`arm:${key}`, rewrite(entry.schema, local));
    for (const [k, v] of Object.entries<Schema>(entry.definitions))
      reg.set(`arm:${key.split("#")[0]}#${k}`, rewrite(v, local));
  }
  for (const [doc, file] of [
    ["kibana-actions", "kibana/actions-connectors.json"],
    ["cases", "kibana/cases.json"],
    ["detection-rules", "kibana/detection-rules.json"],
    ["fleet", "kibana/fleet.json"],
    ["graph", "graph/security-incidents.json"],
  ] as const) {
    const d = load(file);
    // Kibana fragments name siblings by file ('auth_type.yaml'); a sibling not vendored resolves to nothing.
    const local = (r: string) =>
      r.includes("#")
        ? r
        : `${doc}#${r
            .split("/")
            .pop()!
            .replace(/\.yaml$/, "")}`;
    for (const [k, v] of Object.entries<Schema>(d)) if (k !== "about") reg.set(`${doc}#${k}`, rewrite(v, local));
  }
  return reg;
}

const registry = buildRegistry();
const contract = load("operations.json");
const operations: Operation[] = contract.operations;
export const allowList: AllowEntry[] = load("allow-list.json").entries;

const normalise = (p: string) => p.replace(/\[\d+\]/g, "[*]");
function allowed(family: string, rule: string, path: string | undefined, op: string): AllowEntry | undefined {
  return allowList.find(
    (a) =>
      a.family === family &&
      a.rule === rule &&
      (a.operation === undefined || a.operation === op) &&
      (a.path === undefined ||
        (path !== undefined &&
          (a.path.endsWith("*") ? normalise(path).startsWith(a.path.slice(0, -1)) : normalise(path) === a.path))),
  );
}

function matchPath(template: string, path: string, armCase: boolean): boolean {
  const t = template.split("/").filter(Boolean);
  const p = path.replace(/\/+$/, "").split("/").filter(Boolean);
  const eq = (a: string, b: string) => (armCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (t[0] === "{scope}") {
    // {scope}: any resource id prefix, then the literal tail.
    const tail = t.slice(1);
    if (p.length <= tail.length) return false;
    return tail.every((seg, i) => segmentMatches(seg, p[p.length - tail.length + i]!, eq));
  }
  return t.length === p.length && t.every((seg, i) => segmentMatches(seg, p[i]!, eq));
}

/** `{x}` is a whole segment; a segment with `{x}` inside (`servicePrincipals(appId='{appId}')`) matches around it. */
function segmentMatches(template: string, seg: string, eq: (a: string, b: string) => boolean): boolean {
  if (/^\{[^}]+\}$/.test(template)) return true;
  if (!template.includes("{")) return eq(template, seg);
  const re = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+");
  return new RegExp(`^${re}$`, "i").test(decodeURIComponent(seg));
}

export function findOperation(r: Pick<RecordedRequest, "service" | "method" | "path">): Operation | undefined {
  const arm = r.service === "resource-manager";
  const candidates = operations.filter(
    (o) => o.service === r.service && o.method === r.method && matchPath(o.path, r.path, arm),
  );
  // Prefer the most literal template (fewest parameters) when several match.
  return candidates.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))[0];
}

function header(h: RecordedRequest["headers"], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function schemaFindings(value: unknown, schema: Schema, family: string, op: string, base = "$"): Finding[] {
  return validate(
    value,
    schema,
    {
      resolve: (ref) => registry.get(ref),
      request: true,
      closed: true,
      caseInsensitiveEnums: (p) =>
        allowList.some((a) => a.caseInsensitive && a.family === family && a.path === normalise(p)),
    },
    base,
  ).filter((f) => !allowed(family, f.rule, f.path, op));
}

/** Parameter values substituted where a template says exactly `[parameters('x')]`: the template as deployed. */
function withParameters(node: unknown, params: Record<string, unknown>): unknown {
  if (typeof node === "string") {
    const m = /^\[parameters\('([^']+)'\)\]$/.exec(node);
    return m && m[1]! in params ? params[m[1]!] : node;
  }
  if (Array.isArray(node)) return node.map((n) => withParameters(n, params));
  if (node && typeof node === "object")
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === "template" ? v : withParameters(v, params)]),
    );
  return node;
}

/** The template envelope's own keywords (deploymentTemplate.json resourceBase), not part of a resource type's schema. */
const TEMPLATE_KEYWORDS = new Set(["dependsOn", "condition", "copy", "comments", "scope", "metadata", "$schema"]);

function templateFindings(
  template: any,
  given: Record<string, any>,
  family: string,
  op: string,
  at: string,
): Finding[] {
  const params: Record<string, unknown> = {};
  for (const [k, d] of Object.entries<any>(template?.parameters ?? {}))
    params[k] = given?.[k]?.value ?? d?.defaultValue;
  const out: Finding[] = [];
  (Array.isArray(template?.resources) ? template.resources : []).forEach((raw: any, i: number) => {
    const res = withParameters(raw, params) as any;
    const p = `${at}.resources[${i}]`;
    const body = Object.fromEntries(Object.entries(res).filter(([k]) => !TEMPLATE_KEYWORDS.has(k)));
    const key = `${res.type}@${res.apiVersion}`;
    const schema = registry.get(`arm:${key}#${res.kind}`) ?? registry.get(`arm:${key}`);
    if (!schema) {
      if (!allowed(family, "no-schema", `${key}`, op))
        out.push({
          path: p,
          rule: "type",
          message: `${p}: no published ARM template schema for ${key}${res.kind ? ` (kind ${res.kind})` : ""}`,
        });
    } else
      out.push(...schemaFindings(body, schema, family, op, p).map((f) => ({ ...f, message: `${key}: ${f.message}` })));
    if (res.type === "Microsoft.Resources/deployments" && res.properties?.template)
      out.push(
        ...templateFindings(
          res.properties.template,
          res.properties.parameters ?? {},
          family,
          op,
          `${p}.properties.template`,
        ),
      );
  });
  return out;
}

export interface CheckMemory {
  /** Connector type by id, learnt from creates, so an update's config is checked against its type. */
  connectorTypes: Map<string, string>;
}

export const newMemory = (): CheckMemory => ({ connectorTypes: new Map() });

const CONNECTOR_SCHEMAS: Record<string, { config: string; secrets: string; params: string }> = {
  ".webhook": {
    config: "kibana-actions#webhook_config",
    secrets: "kibana-actions#webhook_secrets",
    params: "kibana-actions#webhook_params",
  },
  ".cases-webhook": {
    config: "kibana-actions#cases_webhook_config",
    secrets: "kibana-actions#cases_webhook_secrets",
    params: "kibana-actions#cases_webhook_params",
  },
};

export function checkRequest(r: RecordedRequest, memory: CheckMemory = newMemory()): Breach[] {
  const request = `${r.method} ${r.path}`;
  const op = findOperation(r);
  if (!op)
    return [
      {
        family: r.service,
        request,
        rule: "unknown-operation",
        message: `${request}: no published ${r.service} operation has this method and path`,
      },
    ];
  const opName = `${op.method} ${op.path}`;
  const breaches: Breach[] = [];
  const add = (rule: Breach["rule"], message: string, path?: string) =>
    breaches.push({ family: op.family, request, rule, path, message });
  if (op.apiVersions) {
    const v = r.query.get("api-version");
    if (!v) add("api-version", `${request}: api-version is required`);
    else if (!op.apiVersions.includes(v) && !allowed(op.family, "api-version", v, opName))
      add(
        "api-version",
        `${request}: api-version ${v} is not published for this operation (published: ${op.apiVersions.join(", ")})`,
      );
  }
  const required: Record<string, string> = { ...(contract.headers[r.service]?.all ?? {}), ...(op.headers ?? {}) };
  if (r.method !== "GET" && r.method !== "HEAD")
    Object.assign(
      required,
      Object.fromEntries(Object.keys(contract.headers[r.service]?.write ?? {}).map((k) => [k, ""])),
    );
  for (const [name, pattern] of Object.entries(required)) {
    const v = header(r.headers, name);
    if (v === undefined) add("header", `${request}: the ${name} header is required`);
    else if (pattern && !new RegExp(pattern, "i").test(v))
      add("header", `${request}: the ${name} header does not match ${pattern}`);
  }
  for (const [names, required] of Object.entries(op.query ?? {}))
    if (required && !names.split("|").some((n) => r.query.has(n)))
      add("query", `${request}: the query parameter ${names.split("|").join(" or ")} is required`);
  if (op.streamPattern) {
    const stream = r.path.split("/").pop() ?? "";
    if (!new RegExp(op.streamPattern).test(stream))
      add("body", `${request}: stream ${stream} is neither Custom-… nor Microsoft-…`);
  }
  let body: unknown;
  if (r.raw.trim() !== "") {
    try {
      body = JSON.parse(r.raw);
    } catch {
      add("body", `${request}: the body is not JSON`);
      return breaches;
    }
  }
  if (op.body) {
    if (body === undefined) {
      if (!op.bodyOptional) add("body", `${request}: a body is required`);
    } else {
      for (const f of schemaFindings(body, op.body, op.family, opName)) add(f.rule, `${request}: ${f.message}`, f.path);
    }
  }
  if (op.connectorParams && body && typeof body === "object") {
    // POST /api/actions/connector/{id}/_execute: params by the connector's type (learnt from its create).
    const type = memory.connectorTypes.get(decodeURIComponent(r.path.split("/").at(-2)!));
    const ref = type ? CONNECTOR_SCHEMAS[type]?.params : undefined;
    if (ref)
      for (const f of schemaFindings(
        (body as Record<string, unknown>).params,
        { $ref: ref },
        op.family,
        opName,
        "$.params",
      ))
        add(f.rule, `${request}: ${f.message}`, f.path);
  }
  if (op.connectorConfig && body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const id = decodeURIComponent(r.path.split("/").pop()!);
    const type = typeof b.connector_type_id === "string" ? b.connector_type_id : memory.connectorTypes.get(id);
    if (typeof b.connector_type_id === "string") memory.connectorTypes.set(id, b.connector_type_id);
    const schemas = type ? CONNECTOR_SCHEMAS[type] : undefined;
    if (schemas) {
      for (const [member, ref] of [
        ["config", schemas.config],
        ["secrets", schemas.secrets],
      ] as const)
        if (b[member] !== undefined)
          for (const f of schemaFindings(b[member], { $ref: ref }, op.family, opName, `$.${member}`))
            add(f.rule, `${request}: ${f.message}`, f.path);
    }
  }
  if (op.template && body && typeof body === "object") {
    const props = (body as any).properties ?? {};
    for (const f of templateFindings(
      props.template,
      props.parameters ?? {},
      op.family,
      opName,
      "$.properties.template",
    ))
      add(f.rule, `${request}: ${f.message}`, f.path);
  }
  return breaches;
}

/**
 * Checks one recorded request against the published contracts vendored in test/contracts/: the operation must
 * exist (method and path), name an api-version the contract publishes, carry the headers the service requires,
 * and send a body that its schema accepts (types, enums, required members, no read-only or unknown members).
 * Deployments are checked as deployed: each template resource, after its parameters, against the ARM template
 * schema of its type at its api-version. Reviewed exceptions come from allow-list.json, each with its evidence.
 */
import { type Operation, allowed, contract, operations, schemaFindings } from "./contract-registry.js";
import type { Finding } from "./contract-schema.js";
import { templateFindings } from "./contract-templates.js";

export { allowList } from "./contract-registry.js";

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

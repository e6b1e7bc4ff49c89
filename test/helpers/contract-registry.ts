/**
 * The vendored contracts (test/contracts/), loaded once: every schema under one name space, the operations table,
 * and the reviewed allow-list with the lookup that says whether a finding is a reviewed exception.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Finding, type Schema, validate } from "./contract-schema.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "contracts");
const load = (file: string): any => JSON.parse(readFileSync(join(DIR, file), "utf8"));

export interface Operation {
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

export interface AllowEntry {
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

export const registry = buildRegistry();
export const contract = load("operations.json");
export const operations: Operation[] = contract.operations;
export const allowList: AllowEntry[] = load("allow-list.json").entries;

export const normalise = (p: string) => p.replace(/\[\d+\]/g, "[*]");
export function allowed(family: string, rule: string, path: string | undefined, op: string): AllowEntry | undefined {
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

/** Schema findings of a value, less the reviewed exceptions. */
export function schemaFindings(value: unknown, schema: Schema, family: string, op: string, base = "$"): Finding[] {
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

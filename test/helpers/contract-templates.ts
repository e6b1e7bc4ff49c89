/**
 * Deployments checked as deployed: each template resource, after its parameters, against the ARM template schema
 * of its type at its api-version (and kind), nested deployments included.
 */
import type { Finding } from "./contract-schema.js";
import { allowed, registry, schemaFindings } from "./contract-registry.js";

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

export function templateFindings(
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

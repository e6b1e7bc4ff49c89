/**
 * Deployment what-if (POST …/deployments/{name}/whatIf): per resource Create / Modify / NoChange, plus Ignore
 * (Incremental) or Delete (Complete) for resources of the group the template does not mention
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if). Values that depend on a
 * resource not deployed yet stay as their unevaluated expression, as Azure shows them. A resource is
 * `Modify` when a property the template sets differs from the deployed value; properties Azure adds
 * (read-only ones) do not count.
 */
import type { AzureErrorBody } from "../errors.js";
import { idKey } from "../ids.js";
import type { ArmEnv } from "../resources/types.js";
import type { ArmResource } from "../state.js";
import { TemplateError } from "../template/expression.js";
import { planTemplate, type Template, type TemplatePlan } from "../template/plan.js";
import type { Caller } from "./authz.js";
import { invalidTemplate, planContext, preflight, resourceBody } from "./deployment-engine.js";

export interface WhatIfChange {
  resourceId: string;
  changeType: "Create" | "Delete" | "Ignore" | "NoChange" | "Modify" | "Deploy" | "Unsupported";
  before?: unknown;
  after?: unknown;
  delta?: {
    path: string;
    propertyChangeType: "Create" | "Delete" | "Modify" | "Array";
    before?: unknown;
    after?: unknown;
  }[];
}

type Delta = NonNullable<WhatIfChange["delta"]>;

function diff(path: string, want: unknown, have: unknown, out: Delta): void {
  if (want && typeof want === "object" && !Array.isArray(want)) {
    const h = have && typeof have === "object" && !Array.isArray(have) ? (have as Record<string, unknown>) : undefined;
    for (const [k, v] of Object.entries(want)) {
      const hk = h ? Object.keys(h).find((x) => x.toLowerCase() === k.toLowerCase()) : undefined;
      diff(path ? `${path}.${k}` : k, v, hk === undefined ? undefined : h![hk], out);
    }
    return;
  }
  if (JSON.stringify(want) === JSON.stringify(have)) return;
  // ARM compares ids, types and regions case-insensitively, regions also without spaces ("West Europe").
  const norm = (v: string) => (/location$/i.test(path) ? v.replace(/\s+/g, "") : v).toLowerCase();
  if (
    typeof want === "string" &&
    typeof have === "string" &&
    /id$|location$|type$/i.test(path) &&
    norm(want) === norm(have)
  )
    return;
  out.push({ path, propertyChangeType: have === undefined ? "Create" : "Modify", before: have, after: want });
}

export function whatIf(
  env: ArmEnv,
  req: {
    resourceGroup: string;
    name: string;
    template: Template;
    parameters: Record<string, unknown>;
    mode: string;
    caller: Caller;
  },
): { status: string; changes: WhatIfChange[]; error?: AzureErrorBody } {
  const changes: WhatIfChange[] = [];
  const seen = new Set<string>();
  const walk = (rg: string, name: string, template: Template, parameters: Record<string, unknown>) => {
    let plan: TemplatePlan | undefined;
    try {
      plan = planTemplate(
        template,
        parameters,
        planContext(env, rg, name, true, () => plan),
      );
    } catch (e) {
      if (e instanceof TemplateError) throw invalidTemplate(e);
      throw e;
    }
    preflight(env, plan, req.caller);
    for (const inst of plan.resources) {
      const body = resourceBody(plan, inst, true);
      if (inst.type.toLowerCase() === "microsoft.resources/deployments") {
        const p = body.properties ?? {};
        if (typeof p.template === "object")
          walk(inst.resourceGroup!, inst.name, p.template, p.__inner ? (p.parameters ?? {}) : {});
        continue;
      }
      seen.add(idKey(inst.id));
      const before = env.state.getResource(inst.id);
      const after: ArmResource = {
        ...(before ?? {}),
        id: inst.id,
        name: inst.name.split("/").pop()!,
        type: inst.type,
        ...body,
        properties: { ...(before?.properties ?? {}), ...(body.properties ?? {}) },
      } as ArmResource;
      if (!before) {
        changes.push({ resourceId: inst.id, changeType: "Create", after });
        continue;
      }
      const delta: Delta = [];
      const { properties, ...top } = body;
      diff("", top, before, delta);
      diff("properties", properties ?? {}, before.properties, delta);
      changes.push({
        resourceId: inst.id,
        changeType: delta.length ? "Modify" : "NoChange",
        before,
        after,
        ...(delta.length ? { delta } : {}),
      });
    }
  };
  walk(req.resourceGroup, req.name, req.template, req.parameters);
  const rgId = env.state.resourceGroupId(req.resourceGroup);
  for (const r of env.state.list(undefined, rgId)) {
    if (r.id.split("/").length !== 9 || r.type === "Microsoft.Resources/deployments" || seen.has(idKey(r.id))) continue;
    changes.push({ resourceId: r.id, changeType: req.mode === "Complete" ? "Delete" : "Ignore", before: r });
  }
  return { status: "Succeeded", changes };
}

/**
 * What a deployment evaluates against and checks before it writes anything: the template function context
 * (reference(), list*(), resourceGroup(), environment()) over the sandbox state, and ARM's preflight
 * (resource type emulated, api-version served, location given, permission to write), which answers
 * 400 InvalidTemplateDeployment (or 403 AuthorizationFailed) before any resource is touched.
 */
import { AzureError, type AzureErrorBody } from "../errors.js";
import type { ArmEnv } from "../resources/types.js";
import { callbackUrl } from "../resources/workflows.js";
import { TemplateError } from "../template/expression.js";
import { Unresolvable } from "../template/functions.js";
import type { PlanContext, TemplatePlan } from "../template/plan.js";
import { checkProviderApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";
import { handlerFor } from "./resources-api.js";

export function planContext(
  env: ArmEnv,
  rgName: string,
  deploymentName: string,
  lenient: boolean,
  getPlan: () => TemplatePlan | undefined,
): PlanContext {
  const rg = env.state.resourceGroup(rgName)!;
  const ctx: PlanContext = {
    subscriptionId: env.state.subscriptionId,
    tenantId: env.state.tenantId,
    resourceGroup: { id: rg.id, name: rg.name, location: rg.location!, tags: rg.tags, type: rg.type },
    deploymentName,
    environment: env.environment(),
    reference(idOrName, apiVersion, full) {
      let id = idOrName;
      if (!idOrName.startsWith("/")) {
        const inst = getPlan()?.resources.find((r) => r.name.toLowerCase() === idOrName.toLowerCase());
        if (!inst)
          throw new TemplateError(
            `The template reference '${idOrName}' is not valid: could not find template resource or resource copy with this name.`,
          );
        id = inst.id;
      }
      const rec = env.state.get(id);
      if (!rec) {
        if (lenient) throw new Unresolvable(id);
        throw new TemplateError(`The Resource '${id}' was not found (reference()).`);
      }
      if (apiVersion && rec.resource.type !== "Microsoft.Resources/deployments") {
        const h = handlerFor(rec.resource.type);
        if (h) checkProviderApiVersion(h.type, apiVersion, h.apiVersions);
      }
      return full ? { ...rec.resource, apiVersion: apiVersion ?? rec.apiVersion } : rec.resource.properties;
    },
    list(action, id, _apiVersion) {
      const m = /^(.*\/providers\/Microsoft\.Logic\/workflows\/[^/]+)\/triggers\/([^/]+)$/i.exec(id);
      if (action.toLowerCase() !== "listcallbackurl" || !m)
        throw new TemplateError(`The template function '${action}' is not supported by the sandbox for '${id}'.`);
      const rec = env.state.get(m[1]!);
      if (!rec) {
        if (lenient) throw new Unresolvable(id);
        throw new TemplateError(`The Resource '${m[1]}' was not found (${action}).`);
      }
      return callbackUrl(env, rec, m[2]!);
    },
  };
  return ctx;
}

/** Preflight checks on each planned resource: type emulated, api-version, location, permission to write. */
export function preflight(env: ArmEnv, plan: TemplatePlan, caller: Caller): void {
  const details: AzureErrorBody[] = [];
  for (const r of plan.resources) {
    if (r.type.toLowerCase() === "microsoft.resources/deployments") {
      const p = (r.decl.properties ?? {}) as Record<string, unknown>;
      if (p.templateLink !== undefined || typeof p.template !== "object")
        throw new AzureError(
          400,
          "InvalidTemplate",
          `Deployment template validation failed: 'The nested deployment '${r.name}' must carry its template inline: templateLink is not supported by the sandbox.'`,
        );
      if (!env.state.resourceGroup(r.resourceGroup!))
        details.push({
          code: "ResourceGroupNotFound",
          message: `Resource group '${r.resourceGroup}' could not be found.`,
        });
      continue;
    }
    const h = handlerFor(r.type);
    if (!h) {
      throw new AzureError(
        400,
        "InvalidTemplate",
        `Deployment template validation failed: 'The resource type '${r.type}' at '${r.key}' is not supported by the sandbox.'`,
      );
    }
    try {
      checkProviderApiVersion(h.type, r.apiVersion, h.apiVersions);
      if (h.tracked && r.decl.location === undefined)
        throw new AzureError(400, "LocationRequired", `The location property is required for resource '${r.id}'.`);
      authorize(env.state, caller, `${h.type}/write`, r.id);
    } catch (e) {
      if (e instanceof AzureError) details.push({ code: e.code, message: e.message, target: r.id });
      else throw e;
    }
  }
  if (details.length) {
    const authz = details.find((d) => d.code === "AuthorizationFailed");
    if (authz) throw new AzureError(403, "AuthorizationFailed", authz.message);
    throw new AzureError(
      400,
      "InvalidTemplateDeployment",
      `The template deployment failed with error: '${details[0]!.message}'.`,
      details,
    );
  }
}

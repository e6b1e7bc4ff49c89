/**
 * Runs a template deployment against the sandbox the way ARM does: preflight (template parse, functions,
 * parameters, resource types and api-versions, permissions) answers 400 InvalidTemplate /
 * InvalidTemplateDeployment before anything is written; then resources are deployed in dependsOn order,
 * each recorded as a deployment operation with its status and error; a failure stops its dependants; the
 * deployment ends Failed with `DeploymentFailed` and the nested details
 * (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors).
 * Nested `Microsoft.Resources/deployments` run as their own deployment in their resource group, with
 * `expressionEvaluationOptions.scope` inner or outer (default outer).
 */
import { randomUUID } from "node:crypto";
import { AzureError, type AzureErrorBody } from "../errors.js";
import { idKey } from "../ids.js";
import type { ArmEnv } from "../resources/types.js";
import type { ArmResource } from "../state.js";
import { TemplateError } from "../template/expression.js";
import { type EvalScope, evaluateValue } from "../template/functions.js";
import { isSecureType, redactParameters } from "../template/parameters.js";
import { planTemplate, type ResourceInstance, type Template, type TemplatePlan } from "../template/plan.js";
import type { Caller } from "./authz.js";
import { planContext, preflight } from "./deployment-checks.js";
import { deleteTree, putResource } from "./resources-api.js";

export { planContext, preflight } from "./deployment-checks.js";

export interface DeploymentOperation {
  id: string;
  operationId: string;
  properties: {
    provisioningOperation: "Create";
    provisioningState: "Running" | "Succeeded" | "Failed";
    timestamp: string;
    duration: string;
    trackingId: string;
    serviceRequestId: string;
    statusCode: string;
    statusMessage?: { status: string; error?: AzureErrorBody };
    targetResource: { id: string; resourceType: string; resourceName: string; apiVersion: string };
  };
}

export interface DeploymentRecord {
  resource: ArmResource;
  operations: DeploymentOperation[];
  operationId: string;
  done: Promise<void>;
}

export interface DeploymentRequest {
  resourceGroup: string;
  name: string;
  template: Template;
  parameters: Record<string, unknown>;
  mode: "Incremental" | "Complete";
  caller: Caller;
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  400: "BadRequest",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  412: "PreconditionFailed",
};

export const DEPLOYMENT_FAILED_MESSAGE =
  "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.";

export function deploymentId(env: ArmEnv, rg: string, name: string): string {
  return `${env.state.resourceGroupId(rg)}/providers/Microsoft.Resources/deployments/${name}`;
}

export function invalidTemplate(e: unknown): AzureError {
  return new AzureError(400, "InvalidTemplate", e instanceof Error ? e.message : String(e));
}

/** Property `copy` loops (`"copy": [{name, count, input}]`) are not evaluated by the sandbox: refuse them. */
function rejectPropertyCopy(v: unknown, path: string): void {
  if (!v || typeof v !== "object") return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      rejectPropertyCopy(x, `${path}[${i}]`);
    });
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (
      k.toLowerCase() === "copy" &&
      Array.isArray(x) &&
      x.some((c) => c && typeof c === "object" && "input" in c && "count" in c)
    )
      throw new TemplateError(`Property copy loops are not supported by the sandbox (at '${path}.copy').`);
    if (k !== "definition") rejectPropertyCopy(x, `${path}.${k}`);
  }
}

/** The request body of one resource, evaluated now (properties may call reference()). */
export function resourceBody(plan: TemplatePlan, inst: ResourceInstance, lenient: boolean): Record<string, any> {
  const scope: EvalScope = plan.scopeFor(inst);
  const d = inst.decl;
  rejectPropertyCopy(d.properties, "properties");
  const body: Record<string, any> = {};
  const isDeployment = inst.type.toLowerCase() === "microsoft.resources/deployments";
  for (const k of ["location", "kind", "tags", "identity", "sku", "properties", "etag", "plan", "zones"]) {
    if (d[k] === undefined) continue;
    if (isDeployment && k === "properties") {
      const p = d.properties as Record<string, any>;
      const inner = String(p.expressionEvaluationOptions?.scope ?? "outer").toLowerCase() === "inner";
      const { template, ...rest } = p;
      const evaluated = evaluateValue(rest, scope, lenient) as Record<string, any>;
      evaluated.template = inner ? template : evaluateValue(template, scope, lenient);
      evaluated.__inner = inner;
      body.properties = evaluated;
    } else body[k] = evaluateValue(d[k], scope, lenient);
  }
  return body;
}

const duration = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

function errorOf(e: unknown): { status: number; error: AzureErrorBody } {
  if (e instanceof AzureError) return { status: e.status, error: e.body().error };
  if (e instanceof TemplateError) return { status: 400, error: { code: "InvalidTemplate", message: e.message } };
  return { status: 500, error: { code: "InternalServerError", message: e instanceof Error ? e.message : String(e) } };
}

/**
 * Start a deployment (preflight runs synchronously and throws); the returned record's `done` settles when
 * every resource has been attempted.
 */
export function startDeployment(
  env: ArmEnv,
  store: Map<string, DeploymentRecord>,
  req: DeploymentRequest,
): DeploymentRecord {
  const id = deploymentId(env, req.resourceGroup, req.name);
  let plan: TemplatePlan | undefined;
  try {
    plan = planTemplate(
      req.template,
      req.parameters,
      planContext(env, req.resourceGroup, req.name, false, () => plan),
    );
  } catch (e) {
    if (e instanceof TemplateError) throw invalidTemplate(e);
    throw e;
  }
  preflight(env, plan, req.caller);
  const started = env.state.clock.now();
  const decls = req.template.parameters ?? {};
  const resource: ArmResource = {
    id,
    name: req.name,
    type: "Microsoft.Resources/deployments",
    properties: {
      templateHash: String(Math.abs(hashCode(JSON.stringify(req.template)))),
      parameters: redactParameters(decls, plan.parameters),
      mode: req.mode,
      provisioningState: "Running",
      timestamp: env.state.nowIso(),
      duration: "PT0S",
      correlationId: randomUUID(),
      providers: [],
      dependencies: plan.resources
        .filter((r) => r.dependsOn.length)
        .map((r) => ({
          id: r.id,
          resourceType: r.type,
          resourceName: r.name,
          dependsOn: r.dependsOn.map((d) => ({ id: d })),
        })),
      outputResources: [],
    },
  };
  const record: DeploymentRecord = {
    resource,
    operations: [],
    operationId: randomUUID().replace(/-/g, "").toUpperCase(),
    done: Promise.resolve(),
  };
  store.set(idKey(id), record);
  env.state.put(resource, "2025-03-01");
  record.done = (async () => {
    await Promise.resolve();
    const finished = new Map<string, boolean>();
    const failures: AzureErrorBody[] = [];
    for (const inst of dependencyOrder(plan!.resources)) {
      if (inst.dependsOn.some((d) => finished.get(idKey(d)) !== true)) {
        finished.set(idKey(inst.id), false);
        continue;
      }
      const t0 = env.state.clock.now();
      const op: DeploymentOperation = {
        id: `${id}/operations/${randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase()}`,
        operationId: "",
        properties: {
          provisioningOperation: "Create",
          provisioningState: "Running",
          timestamp: env.state.nowIso(),
          duration: "PT0S",
          trackingId: randomUUID(),
          serviceRequestId: randomUUID(),
          statusCode: "",
          targetResource: {
            id: inst.id,
            resourceType: inst.type,
            resourceName: inst.name,
            apiVersion: inst.apiVersion,
          },
        },
      };
      op.operationId = op.id.split("/").pop()!;
      record.operations.push(op);
      try {
        const body = resourceBody(plan!, inst, false);
        let status = 200;
        if (inst.type.toLowerCase() === "microsoft.resources/deployments") {
          const p = body.properties ?? {};
          const child = startDeployment(env, store, {
            resourceGroup: inst.resourceGroup!,
            name: inst.name,
            template: p.template,
            parameters: p.__inner ? (p.parameters ?? {}) : {},
            mode: p.mode ?? "Incremental",
            caller: req.caller,
          });
          await child.done;
          if (child.resource.properties.provisioningState !== "Succeeded")
            throw new AzureError(
              400,
              "DeploymentFailed",
              DEPLOYMENT_FAILED_MESSAGE,
              child.resource.properties.error?.details,
            );
          status = 201;
        } else {
          const res = await putResource(env, { id: inst.id, body, apiVersion: inst.apiVersion, caller: req.caller });
          status = res.status;
          (resource.properties.outputResources as { id: string }[]).push({ id: res.resource.id });
        }
        op.properties.provisioningState = "Succeeded";
        op.properties.statusCode = STATUS_TEXT[status] ?? String(status);
        op.properties.statusMessage = { status: "OK" };
        finished.set(idKey(inst.id), true);
      } catch (e) {
        const { status, error } = errorOf(e);
        op.properties.provisioningState = "Failed";
        op.properties.statusCode = STATUS_TEXT[status] ?? String(status);
        op.properties.statusMessage = { status: "Failed", error };
        failures.push({ ...error, target: error.target ?? inst.id });
        finished.set(idKey(inst.id), false);
      }
      op.properties.duration = duration(env.state.clock.now() - t0);
    }
    if (!failures.length && req.mode === "Complete") {
      const keep = new Set(plan!.resources.map((r) => idKey(r.id)));
      const rgId = env.state.resourceGroupId(req.resourceGroup);
      for (const r of env.state.list(undefined, rgId))
        if (r.id.split("/").length === 9 && r.type !== "Microsoft.Resources/deployments" && !keep.has(idKey(r.id)))
          deleteTree(env, r);
    }
    const p = resource.properties;
    p.timestamp = env.state.nowIso();
    p.duration = duration(env.state.clock.now() - started);
    if (failures.length) {
      p.provisioningState = "Failed";
      p.error = { code: "DeploymentFailed", target: id, message: DEPLOYMENT_FAILED_MESSAGE, details: failures };
      return;
    }
    try {
      p.outputs = evaluateOutputs(req.template, plan!);
      p.provisioningState = "Succeeded";
    } catch (e) {
      p.provisioningState = "Failed";
      p.error = { code: "DeploymentOutputEvaluationFailed", target: id, message: errorOf(e).error.message };
    }
  })();
  return record;
}

function evaluateOutputs(template: Template, plan: TemplatePlan): Record<string, { type: string; value?: unknown }> {
  const out: Record<string, { type: string; value?: unknown }> = {};
  const scope = plan.scopeFor(undefined, true);
  try {
    for (const [name, o] of Object.entries(template.outputs ?? {})) {
      if (o.condition !== undefined && !evaluateValue(o.condition, scope)) continue;
      if (o.copy !== undefined)
        throw new TemplateError(`Output '${name}': output copy loops are not supported by the sandbox.`);
      const type = o.type.charAt(0).toUpperCase() + o.type.slice(1);
      // Secure outputs are never returned (https://learn.microsoft.com/azure/azure-resource-manager/templates/outputs).
      out[name] = isSecureType(o.type) ? { type } : { type, value: evaluateValue(o.value, scope) };
    }
  } finally {
    plan.scopeFor(undefined, false);
  }
  return out;
}

/** Template order, except that a resource comes after everything it depends on (ARM deploys in dependsOn order). */
export function dependencyOrder(list: ResourceInstance[]): ResourceInstance[] {
  const byId = new Map(list.map((r) => [idKey(r.id), r]));
  const out: ResourceInstance[] = [];
  const done = new Set<string>();
  const visit = (r: ResourceInstance) => {
    const k = idKey(r.id);
    if (done.has(k)) return;
    done.add(k);
    for (const d of r.dependsOn) {
      const dep = byId.get(idKey(d));
      if (dep) visit(dep);
    }
    out.push(r);
  };
  for (const r of list) visit(r);
  return out;
}

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

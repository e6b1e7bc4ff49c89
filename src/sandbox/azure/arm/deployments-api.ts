/**
 * Microsoft.Resources/deployments at resource-group scope, shaped for @azure/arm-resources 6.1.0:
 * - PUT: preflight errors answer 400 at once; otherwise 201 with `Azure-AsyncOperation` pointing at
 *   `…/deployments/{name}/operationStatuses/{id}` (status Running|Succeeded|Failed, `error` when failed),
 *   the polling ARM uses for deployments, so `beginCreateOrUpdateAndWait` works unchanged.
 * - POST validate (200 / 400), POST whatIf (202 + Location → 200 WhatIfOperationResult), GET, list,
 *   DELETE, POST cancel, GET operations.
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { AzureError, badRequest, notFound } from "../errors.js";
import { idKey } from "../ids.js";
import type { ArmEnv } from "../resources/types.js";
import { TemplateError } from "../template/expression.js";
import { planTemplate, type Template, type TemplatePlan } from "../template/plan.js";
import { redactParameters } from "../template/parameters.js";
import { checkResourcesApiVersion, requireApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";
import {
  type DeploymentRecord,
  deploymentId,
  invalidTemplate,
  planContext,
  preflight,
  startDeployment,
} from "./deployment-engine.js";
import { whatIf } from "./what-if.js";
import { within } from "../../common/within.js";

export interface DeploymentsApi {
  handle(req: SandboxRequest, caller: Caller, rg: string, rest: string[]): Promise<SandboxResponse>;
  /** Wait for every running deployment (teardown). */
  idle(): Promise<void>;
  records: Map<string, DeploymentRecord>;
  /** Results of what-if operations, by operation id (served at `/subscriptions/{sub}/operationresults/{id}`). */
  whatIfResults: Map<string, unknown>;
}

interface Body {
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    mode?: string;
    template?: Template;
    templateLink?: unknown;
    parameters?: Record<string, unknown>;
    parametersLink?: unknown;
    debugSetting?: unknown;
    onErrorDeployment?: unknown;
  };
}

function readBody(req: SandboxRequest): {
  template: Template;
  parameters: Record<string, unknown>;
  mode: "Incremental" | "Complete";
} {
  const body = req.json() as Body | undefined;
  const p = body?.properties;
  if (!p)
    throw badRequest(
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: 'properties' is required.",
    );
  if (p.templateLink || p.parametersLink)
    throw badRequest(
      "InvalidRequestContent",
      "templateLink / parametersLink are not supported by the sandbox: send the template inline.",
    );
  if (!p.template || typeof p.template !== "object")
    throw badRequest(
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: 'properties.template' is required.",
    );
  if (p.mode !== "Incremental" && p.mode !== "Complete")
    throw badRequest(
      "InvalidDeploymentMode",
      `The deployment mode '${p.mode}' is not valid. Allowed values are 'Incremental' and 'Complete'.`,
    );
  return { template: p.template, parameters: p.parameters ?? {}, mode: p.mode };
}

export function createDeploymentsApi(env: ArmEnv): DeploymentsApi {
  const records = new Map<string, DeploymentRecord>();
  const whatIfResults = new Map<string, unknown>();
  const base = () => env.state.endpoints.resourceManager;

  const handle = async (req: SandboxRequest, caller: Caller, rg: string, rest: string[]): Promise<SandboxResponse> => {
    const apiVersion = requireApiVersion(req.query);
    checkResourcesApiVersion(apiVersion);
    const { state } = env;
    const rgRes = state.resourceGroup(rg);
    if (!rgRes) throw notFound("ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);
    const rgId = rgRes.id;
    if (rest.length === 0) {
      if (req.method !== "GET") throw new AzureError(405, "MethodNotAllowed", "The method is not allowed.");
      authorize(state, caller, "Microsoft.Resources/deployments/read", rgId);
      const value = [...records.values()]
        .map((r) => r.resource)
        .filter((r) => idKey(r.id).startsWith(`${idKey(rgId)}/`));
      return { status: 200, body: { value } };
    }
    const name = decodeURIComponent(rest[0]!);
    // Deployment names: 1-64 characters of `^[-\w._()]+$` (resources.json, parameter DeploymentNameParameter).
    if (!/^[-\w._()]{1,64}$/.test(name))
      throw badRequest(
        "InvalidDeploymentName",
        `The deployment name '${name}' is invalid. It can contain up to 64 letters, digits, '-', '_', '.', '(' and ')'.`,
      );
    const id = deploymentId(env, rgRes.name, name);
    const rec = records.get(idKey(id));
    const sub = rest[1]?.toLowerCase();
    if (!sub) {
      switch (req.method) {
        case "GET":
        case "HEAD":
          authorize(state, caller, "Microsoft.Resources/deployments/read", id);
          if (!rec) throw notFound("DeploymentNotFound", `Deployment '${name}' could not be found.`);
          return req.method === "HEAD" ? { status: 204 } : { status: 200, body: rec.resource };
        case "PUT": {
          authorize(state, caller, "Microsoft.Resources/deployments/write", id);
          if (rec && rec.resource.properties.provisioningState === "Running")
            throw new AzureError(
              409,
              "DeploymentActive",
              `Unable to edit or replace deployment '${name}': previous deployment from '${rec.resource.properties.timestamp}' is still active. Please see https://aka.ms/arm-deploy for usage details.`,
            );
          const b = readBody(req);
          const started = startDeployment(env, records, { resourceGroup: rgRes.name, name, ...b, caller });
          const url = `${base()}${id}/operationStatuses/${started.operationId}?api-version=${apiVersion}`;
          return {
            status: 201,
            headers: { "azure-asyncoperation": url },
            body: {
              ...started.resource,
              properties: { ...started.resource.properties, provisioningState: "Accepted" },
            },
          };
        }
        case "DELETE":
          authorize(state, caller, "Microsoft.Resources/deployments/delete", id);
          if (!rec) return { status: 204 };
          records.delete(idKey(id));
          state.delete(id);
          return { status: 200 };
      }
      throw new AzureError(405, "MethodNotAllowed", "The method is not allowed.");
    }
    if (sub === "operationstatuses" && req.method === "GET") {
      if (!rec || rec.operationId !== rest[2]) throw notFound("OperationNotFound", "The operation could not be found.");
      // Deployments finish in milliseconds here; give one a moment so a poll rarely sees Running.
      await within(rec.done, 200);
      const state_ = rec.resource.properties.provisioningState as string;
      const body: Record<string, unknown> = { status: state_ === "Running" ? "Running" : state_ };
      if (state_ === "Failed") body.error = rec.resource.properties.error;
      return { status: 200, headers: state_ === "Running" ? { "retry-after": "1" } : {}, body };
    }
    if (sub === "operations" && req.method === "GET") {
      authorize(state, caller, "Microsoft.Resources/deployments/operations/read", id);
      if (!rec) throw notFound("DeploymentNotFound", `Deployment '${name}' could not be found.`);
      if (rest[2]) {
        const op = rec.operations.find((o) => o.operationId === rest[2]);
        if (!op) throw notFound("OperationNotFound", `Operation '${rest[2]}' could not be found.`);
        return { status: 200, body: op };
      }
      return { status: 200, body: { value: rec.operations } };
    }
    if (sub === "cancel" && req.method === "POST") {
      authorize(state, caller, "Microsoft.Resources/deployments/cancel/action", id);
      if (!rec) throw notFound("DeploymentNotFound", `Deployment '${name}' could not be found.`);
      if (rec.resource.properties.provisioningState !== "Running")
        throw new AzureError(
          409,
          "DeploymentCannotBeCancelled",
          `The deployment '${name}' cannot be cancelled: it is not running.`,
        );
      return { status: 204 };
    }
    if (sub === "validate" && req.method === "POST") {
      authorize(state, caller, "Microsoft.Resources/deployments/validate/action", id);
      const b = readBody(req);
      let plan: TemplatePlan | undefined;
      try {
        plan = planTemplate(
          b.template,
          b.parameters,
          planContext(env, rgRes.name, name, true, () => plan),
        );
      } catch (e) {
        if (e instanceof TemplateError) throw invalidTemplate(e);
        throw e;
      }
      preflight(env, plan, caller);
      return {
        status: 200,
        body: {
          id,
          name,
          type: "Microsoft.Resources/deployments",
          properties: {
            provisioningState: "Succeeded",
            mode: b.mode,
            timestamp: state.nowIso(),
            parameters: redactParameters(b.template.parameters ?? {}, plan.parameters),
            validatedResources: plan.resources.map((r) => ({ id: r.id })),
          },
        },
      };
    }
    if (sub === "whatif" && req.method === "POST") {
      authorize(state, caller, "Microsoft.Resources/deployments/whatIf/action", id);
      const b = readBody(req);
      const result = whatIf(env, { resourceGroup: rgRes.name, name, ...b, caller });
      const opId = `${name}-${Math.random().toString(36).slice(2)}`;
      whatIfResults.set(opId, { status: result.status, properties: { changes: result.changes } });
      const location = `${base()}/subscriptions/${state.subscriptionId}/operationresults/${opId}?api-version=${apiVersion}`;
      return { status: 202, headers: { location, "retry-after": "1" } };
    }
    throw notFound("NotFound", `The path '${req.path}' is not supported.`);
  };

  return {
    records,
    whatIfResults,
    handle,
    async idle() {
      await Promise.all([...records.values()].map((r) => r.done));
    },
  };
}

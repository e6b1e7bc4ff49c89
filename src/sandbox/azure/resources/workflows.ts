/**
 * Microsoft.Logic/workflows (Consumption). Stored definition and state, system-assigned identity with a
 * principal id, trigger callback URLs signed with the workflow's access key (`sig`), regenerateAccessKey,
 * and the run history endpoints read from the Logic runtime's store.
 * REST: azure-rest-api-specs logic/…/stable/2019-05-01/logic.json (Workflows_CreateOrUpdate,
 * WorkflowTriggers_ListCallbackUrl, Workflows_RegenerateAccessKey, WorkflowRuns_List/Get, WorkflowRunActions_List).
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { AzureError, badRequest, notFound } from "../errors.js";
import { toArmRun, toArmRunAction, toArmRunActions } from "../logic/index.js";
import type { ArmResource, StoredResource } from "../state.js";
import { type ArmEnv, ok, type PutRequest, type ResourceHandler } from "./types.js";
import { checkAccessControl } from "./workflow-access-control.js";

const WORKFLOW_STATES = ["Enabled", "Disabled"];
const SIG_PARAMS = ["api-version", "sp", "sv", "sig"];
export const TRIGGER_API_VERSION = "2016-10-01";

export function workflowSig(key: string, workflowKey: string, trigger: string): string {
  return createHmac("sha256", Buffer.from(key, "base64url"))
    .update(`${workflowKey}\n/triggers/${trigger}/run\n1.0`)
    .digest("base64url");
}

/** Find a workflow by the opaque key in its access endpoint. */
export function findWorkflowByKey(env: ArmEnv, key: string): StoredResource | undefined {
  for (const rec of env.state.resources.values())
    if (rec.resource.type === "Microsoft.Logic/workflows" && rec.secrets.workflowKey === key) return rec;
  return undefined;
}

export function triggerQueryParams(): string[] {
  return SIG_PARAMS;
}

function putWorkflow(r: PutRequest) {
  const { body, env, existing } = r;
  const props = body.properties ?? {};
  if (typeof props !== "object")
    throw badRequest("InvalidRequestContent", "The request content is not valid: 'properties' must be an object.");
  const state = props.state ?? "Enabled";
  if (!WORKFLOW_STATES.includes(state))
    throw badRequest(
      "InvalidWorkflowState",
      `The workflow state '${state}' is not valid. Allowed values are 'Enabled' and 'Disabled'.`,
    );
  const definition = props.definition;
  if (definition !== undefined) {
    if (typeof definition !== "object" || definition === null)
      throw badRequest("InvalidTemplate", "The template validation failed: the workflow definition must be an object.");
    const problems = env.logic.validate(definition);
    if (problems.length)
      throw badRequest("InvalidTemplate", `The template validation failed: '${problems.join("'; '")}'.`);
  }
  checkAccessControl(props.accessControl);
  const idType = String(body.identity?.type ?? "None");
  if (!["SystemAssigned", "UserAssigned", "None"].includes(idType))
    throw badRequest(
      "InvalidIdentityType",
      `The identity type '${idType}' is not supported. Use 'SystemAssigned' or 'None'.`,
    );
  if (idType === "UserAssigned")
    throw badRequest("UnsupportedIdentityType", "User-assigned identities are not supported by the sandbox.");
  const old = existing?.resource;
  // A system-assigned identity lives and dies with its resource: a workflow deleted and created again gets a new
  // principal (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview), and an
  // assignment made for the old one cannot be repointed (RoleAssignmentUpdateNotPermitted, role-assignments.ts).
  const principalId = idType === "SystemAssigned" ? (old?.identity?.principalId ?? randomUUID()) : undefined;
  const now = env.state.nowIso();
  const secrets = existing?.secrets.workflowKey
    ? existing.secrets
    : {
        workflowKey: randomBytes(16).toString("hex"),
        primaryKey: randomBytes(32).toString("base64url"),
        secondaryKey: randomBytes(32).toString("base64url"),
      };
  const resource: ArmResource = {
    id: r.id,
    name: r.name,
    type: "Microsoft.Logic/workflows",
    location: body.location,
    tags: body.tags ?? {},
    ...(principalId ? { identity: { type: "SystemAssigned", principalId, tenantId: env.state.tenantId } } : {}),
    properties: {
      provisioningState: "Succeeded",
      createdTime: old?.properties.createdTime ?? now,
      changedTime: now,
      state,
      version: randomBytes(8).toString("hex").toUpperCase(),
      accessEndpoint: `${env.state.endpoints.logicApps}/workflows/${secrets.workflowKey}`,
      ...(props.accessControl ? { accessControl: props.accessControl } : {}),
      definition: definition ?? { $schema: "", contentVersion: "1.0.0.0", triggers: {}, actions: {} },
      parameters: props.parameters ?? {},
    },
  };
  return {
    resource,
    secrets,
    commit: () => {
      if (principalId)
        env.state.addPrincipal({
          id: principalId,
          type: "ServicePrincipal",
          displayName: r.name,
          managedIdentityOf: r.id,
        });
    },
  };
}

function triggerOf(res: ArmResource, name: string): Record<string, any> {
  const triggers = (res.properties.definition?.triggers ?? {}) as Record<string, any>;
  const key = Object.keys(triggers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key)
    throw new AzureError(
      404,
      "WorkflowTriggerNotFound",
      `The workflow '${res.name}' trigger '${name}' could not be found.`,
    );
  return { name: key, ...triggers[key] };
}

/** WorkflowTriggerCallbackUrl (example WorkflowTriggers_ListCallbackUrl.json) for one trigger. */
export function callbackUrl(env: ArmEnv, resource: StoredResource, trigger: string): Record<string, unknown> {
  const trig = triggerOf(resource.resource, trigger);
  const name = trig.name as string;
  const sig = workflowSig(resource.secrets.primaryKey!, resource.secrets.workflowKey!, name);
  const basePath = `${env.state.endpoints.logicApps}/workflows/${resource.secrets.workflowKey}/triggers/${name}/paths/invoke`;
  const relativePath = trig.inputs?.relativePath as string | undefined;
  const queries = { "api-version": TRIGGER_API_VERSION, sp: `/triggers/${name}/run`, sv: "1.0", sig };
  const qs = new URLSearchParams(queries).toString();
  const value = `${basePath}${relativePath ? `/${relativePath.replace(/^\//, "")}` : ""}?${qs}`;
  return {
    value,
    method: String(trig.inputs?.method ?? "POST").toUpperCase(),
    basePath,
    ...(relativePath ? { relativePath, relativePathParameters: [] } : {}),
    queries,
  };
}

export const workflowsHandler: ResourceHandler = {
  type: "Microsoft.Logic/workflows",
  apiVersions: [
    "2015-02-01-preview",
    "2015-08-01-preview",
    "2016-06-01",
    "2017-07-01",
    "2018-07-01-preview",
    "2019-05-01",
  ],
  tracked: true,
  checkName: (n) =>
    /^[-\w._()]{1,80}$/.test(n)
      ? undefined
      : `The workflow name '${n}' is not valid: use 1-80 letters, digits, hyphens, underscores, periods or parentheses.`,
  put: putWorkflow,
  onDelete: (env, res) => {
    const pid = res.identity?.principalId;
    if (pid) env.state.principals.delete(pid);
  },
  subRoutes: [
    {
      method: "POST",
      pattern: "triggers/:trigger/listCallbackUrl",
      action: "Microsoft.Logic/workflows/triggers/listCallbackUrl/action",
      handle: ({ env, resource, params }) => ok(callbackUrl(env, resource, params.trigger!)),
    },
    {
      method: "POST",
      pattern: "regenerateAccessKey",
      action: "Microsoft.Logic/workflows/regenerateAccessKey/action",
      handle: ({ resource, req }) => {
        const body = (req.json() ?? {}) as { keyType?: string };
        if (!["Primary", "Secondary", "NotSpecified"].includes(String(body.keyType)))
          throw badRequest(
            "InvalidKeyType",
            `The key type '${body.keyType}' is not valid. Use 'Primary' or 'Secondary'.`,
          );
        const slot = body.keyType === "Secondary" ? "secondaryKey" : "primaryKey";
        resource.secrets[slot] = randomBytes(32).toString("base64url");
        return { status: 200 };
      },
    },
    {
      method: "GET",
      pattern: "triggers",
      action: "Microsoft.Logic/workflows/triggers/read",
      handle: ({ resource }) => {
        const triggers = (resource.resource.properties.definition?.triggers ?? {}) as Record<string, any>;
        return ok({
          value: Object.keys(triggers).map((t) => ({
            id: `${resource.resource.id}/triggers/${t}`,
            name: t,
            type: "Microsoft.Logic/workflows/triggers",
            properties: { provisioningState: "Succeeded", state: resource.resource.properties.state },
          })),
        });
      },
    },
    {
      method: "GET",
      pattern: "runs",
      action: "Microsoft.Logic/workflows/runs/read",
      handle: ({ env, resource, req }) => {
        let runs = env.logic.runs(resource.resource.id);
        const filter = req.query.get("$filter");
        const m = filter && /status\s+eq\s+'(\w+)'/i.exec(filter);
        if (m) runs = runs.filter((r) => r.status.toLowerCase() === m[1]!.toLowerCase());
        const top = Number(req.query.get("$top") ?? 0);
        if (top > 0) runs = runs.slice(0, top);
        return ok({ value: runs.map(toArmRun) });
      },
    },
    {
      method: "GET",
      pattern: "runs/:run",
      action: "Microsoft.Logic/workflows/runs/read",
      handle: ({ env, resource, params }) => {
        const run = env.logic.run(resource.resource.id, params.run!);
        if (!run) throw notFound("WorkflowRunNotFound", `The workflow run '${params.run}' could not be found.`);
        return ok(toArmRun(run));
      },
    },
    {
      method: "GET",
      pattern: "runs/:run/actions",
      action: "Microsoft.Logic/workflows/runs/actions/read",
      handle: ({ env, resource, params }) => {
        const run = env.logic.run(resource.resource.id, params.run!);
        if (!run) throw notFound("WorkflowRunNotFound", `The workflow run '${params.run}' could not be found.`);
        return ok(toArmRunActions(run));
      },
    },
    {
      method: "GET",
      pattern: "runs/:run/actions/:action",
      action: "Microsoft.Logic/workflows/runs/actions/read",
      handle: ({ env, resource, params }) => {
        const run = env.logic.run(resource.resource.id, params.run!);
        const action = run?.actions[params.action!];
        if (!run || !action)
          throw notFound("WorkflowRunActionNotFound", `The workflow run action '${params.action}' could not be found.`);
        return ok(toArmRunAction(run, action));
      },
    },
  ],
};

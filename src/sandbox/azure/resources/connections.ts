/**
 * Microsoft.Web/connections (managed API connections, api-version 2016-06-01:
 * azure-rest-api-specs web/…/stable/2016-06-01/logicAppsManagementClient.json).
 * - `parameterValueType: "Alternative"` is the managed-identity variant: Connected at once.
 * - Otherwise the connection needs OAuth consent: status Error/Unauthenticated until the consent link from
 *   `listConsentLinks` is visited (a local page on the sandbox portal) or `confirmConsentCode` is called.
 * Status shapes follow facts §2 (`statuses[{status,target,error{code,message}}]`).
 */
import { randomBytes } from "node:crypto";
import { badRequest } from "../errors.js";
import type { ArmResource, StoredResource } from "../state.js";
import { type ArmEnv, ok, type PutRequest, type ResourceHandler } from "./types.js";

const SUPPORTED_APIS = ["azuresentinel"];

const UNAUTHENTICATED = [
  {
    status: "Error",
    target: "token",
    error: { code: "Unauthenticated", message: "This connection is not authenticated." },
  },
];

export function isConnected(res: ArmResource): boolean {
  return (res.properties.statuses as { status: string }[] | undefined)?.some((s) => s.status === "Connected") ?? false;
}

/** Mark an OAuth connection consented by `objectId` (the consent page and confirmConsentCode both end here). */
export function completeConsent(rec: StoredResource, objectId: string): void {
  rec.resource.properties.statuses = [{ status: "Connected" }];
  rec.resource.properties.overallStatus = "Connected";
  rec.secrets.consentedBy = objectId;
}

export function findConnectionByConsentKey(env: ArmEnv, key: string): StoredResource | undefined {
  for (const rec of env.state.resources.values())
    if (rec.resource.type === "Microsoft.Web/connections" && rec.secrets.consentKey === key) return rec;
  return undefined;
}

function putConnection(r: PutRequest) {
  const { body, env, existing } = r;
  const props = body.properties;
  if (!props || typeof props !== "object")
    throw badRequest("InvalidRequestContent", "The request content is not valid: 'properties' is required.");
  const apiId = props.api?.id;
  const m =
    typeof apiId === "string"
      ? /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Web\/locations\/([^/]+)\/managedApis\/([^/]+)$/i.exec(apiId)
      : null;
  if (!m)
    throw badRequest(
      "InvalidApiId",
      `The managed API id '${apiId}' is not valid. Expected '/subscriptions/{subscriptionId}/providers/Microsoft.Web/locations/{location}/managedApis/{apiName}'.`,
    );
  const apiName = m[2]!;
  if (!SUPPORTED_APIS.includes(apiName.toLowerCase()))
    throw badRequest(
      "ApiNotFound",
      `The managed API '${apiName}' is not supported by the sandbox (supported: ${SUPPORTED_APIS.join(", ")}).`,
    );
  if (props.parameterValueType !== undefined && props.parameterValueType !== "Alternative")
    throw badRequest(
      "InvalidParameterValueType",
      `The parameterValueType '${props.parameterValueType}' is not valid. The only value is 'Alternative'.`,
    );
  const mi = props.parameterValueType === "Alternative";
  const old = existing?.resource;
  const now = env.state.nowIso();
  const wasConnected = old ? isConnected(old) : false;
  const statuses = mi || wasConnected ? [{ status: "Connected" }] : UNAUTHENTICATED;
  const secrets = existing?.secrets.consentKey ? existing.secrets : { consentKey: randomBytes(16).toString("hex") };
  const resource: ArmResource = {
    id: r.id,
    name: r.name,
    type: "Microsoft.Web/connections",
    location: body.location,
    ...(body.kind ? { kind: body.kind } : {}),
    tags: body.tags ?? {},
    etag: env.state.newEtag(),
    properties: {
      displayName: props.displayName ?? r.name,
      statuses,
      overallStatus: statuses[0]!.status,
      connectionState: "Enabled",
      customParameterValues: props.customParameterValues ?? {},
      nonSecretParameterValues: props.nonSecretParameterValues ?? {},
      ...(mi ? { parameterValueType: "Alternative" } : {}),
      createdTime: old?.properties.createdTime ?? now,
      changedTime: now,
      api: {
        id: apiId,
        name: apiName,
        displayName: "Microsoft Sentinel",
        type: "Microsoft.Web/locations/managedApis",
      },
      testLinks: [],
    },
  };
  return { resource, secrets };
}

export const connectionsHandler: ResourceHandler = {
  type: "Microsoft.Web/connections",
  apiVersions: ["2015-08-01-preview", "2016-06-01", "2018-07-01-preview"],
  tracked: true,
  checkName: (n) => (/^[-\w._()]{1,80}$/.test(n) ? undefined : `The connection name '${n}' is not valid.`),
  put: putConnection,
  subRoutes: [
    {
      method: "POST",
      pattern: "listConsentLinks",
      action: "Microsoft.Web/connections/listConsentLinks/action",
      handle: ({ env, resource, req }) => {
        const body = (req.json() ?? {}) as { parameters?: unknown };
        if (!Array.isArray(body.parameters) || body.parameters.length === 0)
          throw badRequest(
            "InvalidRequestContent",
            "The request content is not valid: 'parameters' must be an array of consent link parameter definitions.",
          );
        return ok({
          value: (body.parameters as Record<string, string>[]).map((p) => {
            if (!p.parameterName)
              throw badRequest("InvalidRequestContent", "Each consent link parameter needs 'parameterName'.");
            const q = new URLSearchParams({
              ...(p.redirectUrl ? { redirectUrl: p.redirectUrl } : {}),
              ...(p.objectId ? { objectId: p.objectId } : {}),
            });
            return {
              link: `${env.state.endpoints.portal}/consent/${resource.secrets.consentKey}?${q}`,
              displayName: "Microsoft Sentinel",
              status: isConnected(resource.resource) ? "Authenticated" : "Unauthenticated",
            };
          }),
        });
      },
    },
    {
      method: "POST",
      pattern: "confirmConsentCode",
      action: "Microsoft.Web/connections/confirmConsentCode/action",
      handle: ({ resource, req, principalId }) => {
        const body = (req.json() ?? {}) as { code?: string; objectId?: string; tenantId?: string };
        if (!body.code)
          throw badRequest("InvalidRequestContent", "The request content is not valid: 'code' is required.");
        if (!resource.secrets.pendingCode || body.code !== resource.secrets.pendingCode)
          throw badRequest("InvalidConsentCode", "The consent code is not valid or has expired.");
        completeConsent(resource, resource.secrets.consentedBy ?? body.objectId ?? principalId);
        delete resource.secrets.pendingCode;
        return ok(resource.resource);
      },
    },
  ],
};

/**
 * Connector CRUD and `_execute` (ACT/server/routes/connector/{create,update,get,get_all,delete,execute}).
 * Request bodies: ACT/common/routes/connector/apis/{create,update,execute}/schemas/v1.ts — `config` and
 * `secrets` are records whose string values may not be empty (validate_empty_strings.ts), unknown body
 * keys are rejected, the id on create is optional (`/connector/{id?}`).
 */
import { randomUUID } from "node:crypto";
import type { Router, SandboxRequest } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { badRequest, isPlainObject, KibanaError, ok, savedObjectNotFound } from "../http.js";
import { requireFeature, spaceOf } from "../request-context.js";
import { any, def, obj, record, req as required, requestBodyMessage, str, SchemaError, validate } from "../schema.js";
import { executeConnector, executeResponse, licenseError } from "./execute.js";
import { CONNECTOR_TYPES, connectorResponse, type StoredConnector } from "./model.js";
import { ensureUriAllowed } from "./http-client.js";
import { forgetConnectorToken } from "./oauth2.js";
import { validateConnectorInput } from "./validate.js";

const URL_KEYS = ["createIncidentUrl", "createCommentUrl", "viewIncidentUrl", "getIncidentUrl", "updateIncidentUrl"];

function emptyStringPath(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const p = emptyStringPath(v, `${path}.${i}`);
      if (p) return p;
    }
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const p = emptyStringPath(v, `${path}.${k}`);
      if (p) return p;
    }
  }
  return undefined;
}

function parseBody(
  req: SandboxRequest,
  withType: boolean,
): { name: string; connector_type_id?: string; config: Record<string, unknown>; secrets: Record<string, unknown> } {
  const schema = obj({
    name: required(str),
    ...(withType ? { connector_type_id: required(str) } : {}),
    config: def(record(any), {}),
    secrets: def(record(any), {}),
  });
  let body: any;
  try {
    body = validate(schema, req.json() ?? undefined, []);
  } catch (e) {
    if (e instanceof SchemaError) throw badRequest(requestBodyMessage(e.message));
    throw e;
  }
  if (body.name.trim() === "") throw badRequest("[request body.name]: value '' is not valid");
  for (const key of ["config", "secrets"]) {
    const p = emptyStringPath(body[key], key);
    if (p) throw badRequest(`[request body.${p.split(".").slice(0, 2).join(".")}]: value '' is not valid`);
  }
  return body;
}

export function registerConnectorRoutes(router: Router, ctx: SandboxContext): void {
  const find = (req: SandboxRequest, id: string): StoredConnector => {
    const c = spaceOf(ctx, req).connectors.get(id);
    if (!c) throw savedObjectNotFound("action", id);
    return c;
  };

  const create = (req: SandboxRequest) => {
    requireFeature(req, "actions", "all", "create a connector");
    const space = spaceOf(ctx, req);
    const body = parseBody(req, true);
    const type = body.connector_type_id!;
    if (!CONNECTOR_TYPES.some((t) => t.id === type)) throw badRequest(`Action type "${type}" is not registered.`);
    const licence = licenseError(ctx, type);
    if (licence) throw new KibanaError(403, licence);
    if (!ctx.encryptionKey && Object.keys(body.secrets).length > 0)
      throw badRequest(
        "Unable to create connector because the Encrypted Saved Objects plugin is missing encryption key. Please set xpack.encryptedSavedObjects.encryptionKey in the kibana.yml or use the bin/kibana-encryption-keys command.",
      );
    const id = req.params.id ?? randomUUID();
    if (space.connectors.has(id)) throw new KibanaError(409, `Saved object [action/${id}] conflict`);
    const { config, secrets } = validateOrThrow(ctx, type, body.config, body.secrets);
    const connector: StoredConnector = {
      id,
      name: body.name,
      connector_type_id: type,
      config,
      secrets,
      is_missing_secrets: false,
    };
    space.connectors.set(id, connector);
    return ok(connectorResponse(connector));
  };
  router.on("POST", "/api/actions/connector", create);
  router.on("POST", "/api/actions/connector/:id", create);

  router.on("PUT", "/api/actions/connector/:id", (req) => {
    requireFeature(req, "actions", "all", "update a connector");
    const existing = find(req, req.params.id!);
    const body = parseBody(req, false);
    const licence = licenseError(ctx, existing.connector_type_id);
    if (licence) throw new KibanaError(403, licence);
    const { config, secrets } = validateOrThrow(ctx, existing.connector_type_id, body.config, body.secrets);
    Object.assign(existing, { name: body.name, config, secrets });
    forgetConnectorToken(ctx, existing.id);
    return ok(connectorResponse(existing));
  });

  router.on("GET", "/api/actions/connector/:id", (req) => {
    requireFeature(req, "actions", "read", "get a connector");
    return ok(connectorResponse(find(req, req.params.id!)));
  });

  router.on("GET", "/api/actions/connectors", (req) => {
    requireFeature(req, "actions", "read", "get all connectors");
    const space = spaceOf(ctx, req);
    return ok(
      [...space.connectors.values()].map((c) => ({
        ...connectorResponse(c),
        referenced_by_count: [...space.rules.values()].filter((r) => r.actions.some((a) => a.id === c.id)).length,
      })),
    );
  });

  router.on("DELETE", "/api/actions/connector/:id", (req) => {
    requireFeature(req, "actions", "all", "delete a connector");
    find(req, req.params.id!);
    spaceOf(ctx, req).connectors.delete(req.params.id!);
    forgetConnectorToken(ctx, req.params.id!);
    return { status: 204 };
  });

  router.on("POST", "/api/actions/connector/:id/_execute", async (req) => {
    requireFeature(req, "actions", "read", "execute a connector");
    const connector = find(req, req.params.id!);
    let body: { params: Record<string, unknown> };
    try {
      body = validate(obj({ params: required(record(any)) }), req.json() ?? undefined) as typeof body;
    } catch (e) {
      throw badRequest(requestBodyMessage((e as Error).message));
    }
    const licence = licenseError(ctx, connector.connector_type_id);
    if (licence) throw new KibanaError(403, licence);
    return ok(executeResponse(await executeConnector(ctx, connector, body.params)));
  });
}

function validateOrThrow(
  ctx: SandboxContext,
  type: string,
  config: Record<string, unknown>,
  secrets: Record<string, unknown>,
) {
  try {
    const v = validateConnectorInput(type, ctx.version, config, secrets);
    // validators.ts / webhook validations.ts: every configured URL must pass xpack.actions.allowedHosts.
    // OAuth2's accessTokenUrl is checked too (webhook validations.ts).
    const urls = type === ".webhook" ? [v.config.url, v.config.accessTokenUrl] : URL_KEYS.map((k) => v.config[k]);
    const label = type === ".webhook" ? "webhook" : "cases webhook";
    for (const url of urls)
      if (typeof url === "string") {
        try {
          ensureUriAllowed(ctx, url);
        } catch (e) {
          throw new SchemaError(
            `error validating action type config: error configuring ${label} action: ${(e as Error).message}`,
          );
        }
      }
    return v;
  } catch (e) {
    if (e instanceof SchemaError) throw badRequest(e.message);
    throw e;
  }
}

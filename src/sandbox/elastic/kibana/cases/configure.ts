/**
 * Cases settings: GET/POST/PATCH /api/cases/configure.
 * - POST deletes the owner's existing configuration(s) in the space and creates a new one, so the id
 *   changes (CASES/server/client/configure/client.ts create: `if (myCaseConfigure.saved_objects.length > 0)
 *   … caseConfigureService.delete`).
 * - PATCH needs `version` (ConfigurationPatchRequestRt) and a stale version is a 409.
 * - Excess keys → 400 (decodeWithExcessOrThrow).
 */
import { randomUUID } from "node:crypto";
import type { Router } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { badRequest, KibanaError, ok } from "../http.js";
import { requireFeature, spaceOf } from "../request-context.js";
import { caseUser, expectOneOf, nextVersion, OWNERS, strictBody, validateCaseConnector } from "./common.js";
import type { CaseConfiguration } from "./model.js";

const CLOSURE = ["close-by-user", "close-by-pushing"];

export function registerConfigureRoutes(router: Router, ctx: SandboxContext): void {
  router.on("GET", "/api/cases/configure", (req) => {
    requireFeature(req, "securitySolutionCases", "read", "get case configuration");
    const owner = req.query.getAll("owner");
    const configs = [...spaceOf(ctx, req).caseConfigs.values()].filter(
      (c) => owner.length === 0 || owner.includes(c.owner),
    );
    return ok(configs);
  });

  router.on("POST", "/api/cases/configure", (req) => {
    requireFeature(req, "securitySolutionCases", "all", "create case configuration");
    const body = strictBody(
      req,
      ["owner", "closure_type", "connector", "customFields", "templates", "observableTypes"],
      ["owner", "closure_type", "connector"],
    );
    expectOneOf(body, "owner", OWNERS);
    expectOneOf(body, "closure_type", CLOSURE);
    validateCaseConnector(body.connector);
    const space = spaceOf(ctx, req);
    for (const [id, c] of space.caseConfigs) if (c.owner === body.owner) space.caseConfigs.delete(id);
    const now = ctx.clock.date().toISOString();
    const config: CaseConfiguration = {
      id: randomUUID(),
      version: nextVersion(ctx),
      owner: body.owner as string,
      connector: body.connector as CaseConfiguration["connector"],
      closure_type: body.closure_type as CaseConfiguration["closure_type"],
      customFields: (body.customFields as unknown[]) ?? [],
      templates: (body.templates as unknown[]) ?? [],
      ...(body.observableTypes ? { observableTypes: body.observableTypes as unknown[] } : {}),
      mappings: [],
      created_at: now,
      created_by: caseUser(req),
      updated_at: null,
      updated_by: null,
      error: null,
    };
    space.caseConfigs.set(config.id, config);
    return ok(config);
  });

  router.on("PATCH", "/api/cases/configure/:id", (req) => {
    requireFeature(req, "securitySolutionCases", "all", "update case configuration");
    const body = strictBody(
      req,
      ["version", "closure_type", "connector", "customFields", "templates", "observableTypes"],
      ["version"],
    );
    if (typeof body.version !== "string")
      throw badRequest(`Invalid value ${JSON.stringify(body.version)} supplied to "version"`);
    const config = spaceOf(ctx, req).caseConfigs.get(req.params.id!);
    if (!config) throw new KibanaError(404, `Saved object [cases-configure/${req.params.id}] not found`);
    if (body.closure_type !== undefined) expectOneOf(body, "closure_type", CLOSURE);
    if (body.connector !== undefined) validateCaseConnector(body.connector);
    if (body.version !== config.version)
      throw new KibanaError(409, `Saved object [cases-configure/${config.id}] conflict`);
    if (body.closure_type !== undefined) config.closure_type = body.closure_type as CaseConfiguration["closure_type"];
    if (body.connector !== undefined) config.connector = body.connector as CaseConfiguration["connector"];
    if (body.customFields !== undefined) config.customFields = body.customFields as unknown[];
    if (body.templates !== undefined) config.templates = body.templates as unknown[];
    if (body.observableTypes !== undefined) config.observableTypes = body.observableTypes as unknown[];
    config.version = nextVersion(ctx);
    config.updated_at = ctx.clock.date().toISOString();
    config.updated_by = caseUser(req);
    return ok(config);
  });
}

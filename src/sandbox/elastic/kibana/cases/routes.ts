/**
 * Cases: create, get, comment, update (incl. close), delete, _find; push lives in push.ts.
 * Request types: CASES/common/types/api/case/v1.ts (CasePostRequestRt, CasesPatchRequestRt,
 * CasesFindRequestRt), attachment/v1.ts; limits from CASES/common/constants (MAX_TITLE_LENGTH 160,
 * MAX_DESCRIPTION_LENGTH 30000, MAX_COMMENT_LENGTH 30000).
 */
import { randomUUID } from "node:crypto";
import type { Router } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { badRequest, isPlainObject, KibanaError, ok } from "../http.js";
import { requireFeature, spaceOf } from "../request-context.js";
import {
  caseUser,
  expectOneOf,
  expectString,
  nextVersion,
  OWNERS,
  strictBody,
  validateCaseConnector,
} from "./common.js";
import type { CaseAttachment, CaseRecord } from "./model.js";
import { registerPushRoute } from "./push.js";
import { caseResponse, findCase } from "./view.js";

const SEVERITIES = ["low", "medium", "high", "critical"];
const STATUSES = ["open", "in-progress", "closed"];

function checkLengths(body: Record<string, unknown>): void {
  if (typeof body.title === "string") {
    if (body.title.trim() === "") throw badRequest("The title field cannot be an empty string.");
    if (body.title.length > 160) throw badRequest("The length of the title is too long. The maximum length is 160.");
  }
  if (typeof body.description === "string") {
    if (body.description.trim() === "") throw badRequest("The description field cannot be an empty string.");
    if (body.description.length > 30000)
      throw badRequest("The length of the description is too long. The maximum length is 30000.");
  }
  if (body.tags !== undefined) {
    if (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== "string"))
      throw badRequest(`Invalid value ${JSON.stringify(body.tags)} supplied to "tags"`);
    if (body.tags.some((t: string) => t.trim() === "")) throw badRequest("The tag field cannot be an empty string.");
  }
}

export function registerCasesRoutes(router: Router, ctx: SandboxContext): void {
  router.on("POST", "/api/cases", (req) => {
    requireFeature(req, "securitySolutionCases", "all", "create a case");
    const body = strictBody(
      req,
      [
        "title",
        "description",
        "tags",
        "connector",
        "settings",
        "owner",
        "severity",
        "assignees",
        "category",
        "customFields",
      ],
      ["title", "description", "tags", "connector", "settings", "owner"],
    );
    expectString(body, "title");
    expectString(body, "description");
    expectOneOf(body, "owner", OWNERS);
    expectOneOf(body, "severity", SEVERITIES, true);
    checkLengths(body);
    validateCaseConnector(body.connector);
    if (!isPlainObject(body.settings) || typeof body.settings.syncAlerts !== "boolean")
      throw badRequest(`Invalid value ${JSON.stringify(body.settings)} supplied to "settings"`);
    const now = ctx.clock.date().toISOString();
    const record: CaseRecord = {
      id: randomUUID(),
      version: nextVersion(ctx),
      owner: body.owner as string,
      title: body.title as string,
      description: body.description as string,
      tags: body.tags as string[],
      severity: (body.severity as CaseRecord["severity"]) ?? "low",
      status: "open",
      connector: body.connector as CaseRecord["connector"],
      settings: body.settings as CaseRecord["settings"],
      assignees: (body.assignees as CaseRecord["assignees"]) ?? [],
      category: (body.category as string | null) ?? null,
      customFields: (body.customFields as unknown[]) ?? [],
      created_at: now,
      created_by: caseUser(req),
      updated_at: null,
      updated_by: null,
      closed_at: null,
      closed_by: null,
      duration: null,
      external_service: null,
      comments: [],
      pushes: [],
    };
    spaceOf(ctx, req).cases.set(record.id, record);
    return ok(caseResponse(record));
  });

  router.on("GET", "/api/cases/_find", (req) => {
    requireFeature(req, "securitySolutionCases", "read", "find cases");
    const q = req.query;
    const owners = q.getAll("owner");
    const statuses = q.getAll("status");
    const severities = q.getAll("severity");
    const tags = q.getAll("tags");
    const search = q.get("search")?.toLowerCase();
    const all = [...spaceOf(ctx, req).cases.values()].filter(
      (c) =>
        (owners.length === 0 || owners.includes(c.owner)) &&
        (severities.length === 0 || severities.includes(c.severity)) &&
        (tags.length === 0 || tags.some((t) => c.tags.includes(t))) &&
        (!search ||
          c.title.toLowerCase().includes(search) ||
          c.description.toLowerCase().includes(search) ||
          c.id === search),
    );
    const matched = all.filter((c) => statuses.length === 0 || statuses.includes(c.status));
    const field = (q.get("sortField") ?? "createdAt").replace(/([A-Z])/g, "_$1").toLowerCase() as keyof CaseRecord;
    const dir = q.get("sortOrder") === "asc" ? 1 : -1;
    matched.sort((a, b) =>
      String(a[field] ?? "") < String(b[field] ?? "")
        ? -dir
        : String(a[field] ?? "") > String(b[field] ?? "")
          ? dir
          : 0,
    );
    const page = Number(q.get("page") ?? 1);
    const perPage = Number(q.get("perPage") ?? 20);
    return ok({
      cases: matched.slice((page - 1) * perPage, page * perPage).map((c) => caseResponse(c, false)),
      page,
      per_page: perPage,
      total: matched.length,
      count_open_cases: all.filter((c) => c.status === "open").length,
      count_in_progress_cases: all.filter((c) => c.status === "in-progress").length,
      count_closed_cases: all.filter((c) => c.status === "closed").length,
    });
  });

  router.on("GET", "/api/cases/:id", (req) => {
    requireFeature(req, "securitySolutionCases", "read", "get a case");
    return ok(caseResponse(findCase(ctx, req, req.params.id!)));
  });

  router.on("POST", "/api/cases/:id/comments", (req) => {
    requireFeature(req, "securitySolutionCases", "all", "add a comment");
    const c = findCase(ctx, req, req.params.id!);
    const raw = req.json();
    if (!isPlainObject(raw)) throw badRequest("Invalid value supplied to request body");
    const now = ctx.clock.date().toISOString();
    const base = {
      id: randomUUID(),
      version: nextVersion(ctx),
      owner: c.owner,
      created_at: now,
      created_by: caseUser(req),
      pushed_at: null,
      pushed_by: null,
      updated_at: null,
      updated_by: null,
    };
    let attachment: CaseAttachment;
    if (raw.type === "user") {
      const body = strictBody(req, ["type", "comment", "owner"], ["type", "comment", "owner"]);
      expectString(body, "comment");
      expectOneOf(body, "owner", OWNERS);
      const text = body.comment as string;
      if (text.trim() === "") throw badRequest("The comment field cannot be an empty string.");
      if (text.length > 30000) throw badRequest("The length of the comment is too long. The maximum length is 30000.");
      attachment = { ...base, type: "user", comment: text };
    } else if (raw.type === "alert") {
      const body = strictBody(
        req,
        ["type", "alertId", "index", "rule", "owner"],
        ["type", "alertId", "index", "rule", "owner"],
      );
      expectOneOf(body, "owner", OWNERS);
      attachment = {
        ...base,
        type: "alert",
        alertId: body.alertId as string,
        index: body.index as string,
        rule: body.rule as CaseAttachment["rule"],
      };
    } else throw badRequest(`Invalid value ${JSON.stringify(raw.type)} supplied to "type"`);
    if (attachment.owner !== c.owner) throw badRequest(`The owner field of the comment must match the case`);
    c.comments.push(attachment);
    c.version = nextVersion(ctx);
    c.updated_at = now;
    c.updated_by = caseUser(req);
    return ok(caseResponse(c));
  });

  router.on("PATCH", "/api/cases", (req) => {
    requireFeature(req, "securitySolutionCases", "all", "update cases");
    const body = strictBody(req, ["cases"], ["cases"]);
    if (!Array.isArray(body.cases) || body.cases.length === 0)
      throw badRequest(`Invalid value ${JSON.stringify(body.cases)} supplied to "cases"`);
    const allowed = [
      "id",
      "version",
      "title",
      "description",
      "tags",
      "status",
      "severity",
      "connector",
      "settings",
      "assignees",
      "category",
      "customFields",
    ];
    const updates = body.cases.map((u: unknown) => {
      if (!isPlainObject(u)) throw badRequest(`Invalid value ${JSON.stringify(u)} supplied to "cases"`);
      const excess = Object.keys(u).filter((k) => !allowed.includes(k));
      if (excess.length) throw badRequest(`invalid keys "${excess.join(",")}"`);
      expectString(u, "id");
      expectString(u, "version");
      expectOneOf(u, "status", STATUSES, true);
      expectOneOf(u, "severity", SEVERITIES, true);
      checkLengths(u);
      if (u.connector !== undefined) validateCaseConnector(u.connector);
      return u;
    });
    const cases = updates.map((u) => findCase(ctx, req, u.id as string));
    const stale = cases.filter((c, i) => c.version !== updates[i]!.version).map((c) => c.id);
    if (stale.length)
      throw new KibanaError(
        409,
        `These cases ${stale.join(", ")} has been updated. Please refresh before saving additional updates.`,
      );
    const now = ctx.clock.date().toISOString();
    return ok(
      cases.map((c, i) => {
        const { id: _id, version: _v, ...changes } = updates[i]!;
        if (changes.status === "closed" && c.status !== "closed") {
          c.closed_at = now;
          c.closed_by = caseUser(req);
          c.duration = Math.floor((Date.parse(now) - Date.parse(c.created_at)) / 1000);
        } else if (changes.status !== undefined && changes.status !== "closed") {
          c.closed_at = null;
          c.closed_by = null;
          c.duration = null;
        }
        Object.assign(c, changes);
        c.version = nextVersion(ctx);
        c.updated_at = now;
        c.updated_by = caseUser(req);
        return caseResponse(c, false);
      }),
    );
  });

  router.on("DELETE", "/api/cases", (req) => {
    requireFeature(req, "securitySolutionCases", "all", "delete cases");
    let ids = req.query.getAll("ids");
    if (ids.length === 1 && ids[0]!.startsWith("[")) {
      try {
        ids = JSON.parse(ids[0]!) as string[];
      } catch {
        throw badRequest(`Invalid value "${ids[0]}" supplied to "ids"`);
      }
    }
    if (ids.length === 0) throw badRequest(`[request query.ids]: expected value of type [array] but got [undefined]`);
    const space = spaceOf(ctx, req);
    for (const id of ids) findCase(ctx, req, id);
    for (const id of ids) space.cases.delete(id);
    return { status: 204 };
  });

  registerPushRoute(router, ctx);
}

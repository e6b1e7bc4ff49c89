/**
 * POST /api/detection_engine/signals/search: a raw ES search of the current space's alerts index
 * (SECSOL/common/api/detection_engine/signals/query_signals/query_signals_route.schema.yaml). Allowed
 * body keys: query, aggs, size (≥0), track_total_hits, _source, fields, runtime_mappings, sort; the 8.x
 * io-ts schema lacks fields/sort. An empty alerts index answers with no hits.
 */
import type { Router } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { search } from "../../es/search.js";
import { EsError } from "../../es/store.js";
import { atLeast } from "../../version.js";
import { badRequest, isPlainObject } from "../http.js";
import { requireFeature, spaceOf } from "../request-context.js";
import { siemErrorBody } from "./schema.js";

export function registerSignalsRoutes(router: Router, ctx: SandboxContext): void {
  router.on("POST", "/api/detection_engine/signals/search", (req) => {
    requireFeature(req, "siem", "read", "search alerts");
    const space = spaceOf(ctx, req);
    const body = req.json() ?? {};
    if (!isPlainObject(body)) throw badRequest("[request body]: Expected object");
    const allowed = [
      "query",
      "aggs",
      "size",
      "track_total_hits",
      "_source",
      ...(atLeast(ctx.version, "8.12.0") ? ["fields", "runtime_mappings", "sort"] : ["runtime_mappings"]),
    ];
    const extra = Object.keys(body).filter((k) => !allowed.includes(k));
    if (extra.length) throw badRequest(`[request body]: invalid keys "${extra.join(",")}"`);
    if (body.size !== undefined && (typeof body.size !== "number" || body.size < 0))
      throw badRequest("[request body]: size: Number must be greater than or equal to 0");
    try {
      const { fields: _f, runtime_mappings: _r, ...rest } = body;
      return {
        status: 200,
        body: search(ctx.store, `.alerts-security.alerts-${space.id}`, rest, ctx.clock.now(), true),
      };
    } catch (e) {
      if (e instanceof EsError) return siemErrorBody(e.status, e.reason);
      throw e;
    }
  });
}

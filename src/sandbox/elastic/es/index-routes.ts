/**
 * Elasticsearch `_bulk` (NDJSON, per-item results and errors), `_refresh`, `_data_stream`, and index
 * create / exists / delete.
 */
import { randomUUID } from "node:crypto";
import type { Router, SandboxRequest, SandboxResponse } from "../../common/router.js";
import type { SandboxContext } from "../context.js";
import { ES_HEADERS, esErrorResponse } from "./errors.js";
import { EsError } from "./store.js";

export type RequireIndex = (req: SandboxRequest, index: string, priv: string, action: string) => void;

function ok(body: unknown, status = 200): SandboxResponse {
  return { status, headers: { ...ES_HEADERS }, body };
}

export function registerBulkAndIndexRoutes(router: Router, ctx: SandboxContext, requireIndex: RequireIndex): void {
  const bulk = (req: SandboxRequest, defaultIndex?: string) => {
    const lines = req.raw
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const items: unknown[] = [];
    let errors = false;
    for (let i = 0; i < lines.length; i++) {
      const action = JSON.parse(lines[i]!) as Record<string, { _index?: string; _id?: string }>;
      const [op, meta] = Object.entries(action)[0]!;
      const index = meta._index ?? defaultIndex;
      try {
        if (!index)
          throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;");
        if (op === "delete") {
          const gone = ctx.store.delete(index, meta._id!);
          items.push({
            delete: {
              _index: gone?.index ?? index,
              _id: meta._id,
              result: gone ? "deleted" : "not_found",
              status: gone ? 200 : 404,
            },
          });
          continue;
        }
        const source = JSON.parse(lines[++i]!) as Record<string, unknown>;
        requireIndex(req, index, "index", "indices:data/write/bulk");
        const r = ctx.store.index(index, source, { id: meta._id, opType: op === "create" ? "create" : "index" });
        items.push({
          [op]: {
            _index: r.index,
            _id: r.id,
            _version: r.version,
            result: r.result,
            status: r.result === "created" ? 201 : 200,
            _seq_no: r.seqNo,
            _primary_term: 1,
          },
        });
      } catch (err) {
        errors = true;
        const e = err instanceof EsError ? err : new EsError(400, "exception", String(err));
        items.push({
          [op]: { _index: index, _id: meta._id, status: e.status, error: { type: e.type, reason: e.reason } },
        });
      }
    }
    return ok({ took: 0, errors, items });
  };
  router.on("POST", "/_bulk", (req) => bulk(req));
  router.on("PUT", "/_bulk", (req) => bulk(req));
  router.on("POST", "/:index/_bulk", (req) => bulk(req, req.params.index));

  const refresh = () => ok({ _shards: { total: 1, successful: 1, failed: 0 } });
  router.on("POST", "/_refresh", refresh);
  router.on("POST", "/:index/_refresh", refresh);

  router.on("GET", "/_data_stream/:name", (req) => {
    const streams = [...ctx.store.dataStreams].filter(
      ([s]) =>
        req.params.name === "*" ||
        s === req.params.name ||
        new RegExp(`^${req.params.name!.replace(/\*/g, ".*")}$`).test(s),
    );
    if (!streams.length && !req.params.name!.includes("*"))
      return esErrorResponse(404, "index_not_found_exception", `no such index [${req.params.name}]`);
    return ok({
      data_streams: streams.map(([name, backing]) => ({
        name,
        timestamp_field: { name: "@timestamp" },
        indices: [{ index_name: backing, index_uuid: randomUUID() }],
        generation: 1,
        status: "GREEN",
        template: "logs",
        hidden: false,
      })),
    });
  });
  router.on("PUT", "/:index", (req) => {
    const name = req.params.index!;
    if (ctx.store.indices.has(name))
      return esErrorResponse(400, "resource_already_exists_exception", `index [${name}/sandbox] already exists`, {
        index: name,
      });
    ctx.store.createIndex(name);
    return ok({ acknowledged: true, shards_acknowledged: true, index: name });
  });
  router.on("HEAD", "/:index", (req) => {
    const found = ctx.store.resolve(req.params.index!, { allowMissing: true }).length > 0;
    return { status: found ? 200 : 404, headers: { ...ES_HEADERS } };
  });
  router.on("DELETE", "/:index", (req) => {
    for (const idx of ctx.store.resolve(req.params.index!)) ctx.store.indices.delete(idx.name);
    return ok({ acknowledged: true });
  });
}

/**
 * The Elasticsearch emulator's HTTP routes. Every response carries `x-elastic-product: Elasticsearch`,
 * which the official client checks before trusting the server (elasticsearch-js "product check").
 */
import type { FaultInjector } from "../../common/faults.js";
import { createRouter, type Router, type SandboxRequest, type SandboxResponse } from "../../common/router.js";
import { hasIndexPrivilege, type Principal } from "../auth.js";
import type { SandboxContext } from "../context.js";
import { checkCompatibilityHeaders } from "./compat.js";
import { ES_HEADERS, esFromError, esUnauthorized } from "./errors.js";
import { matchingDocs, search, type SearchRequest } from "./search.js";
import { registerBulkAndIndexRoutes } from "./index-routes.js";
import { registerSecurityRoutes } from "./security.js";
import { EsError } from "./store.js";

const principals = new WeakMap<SandboxRequest["req"], Principal>();

function ok(body: unknown, status = 200): SandboxResponse {
  return { status, headers: { ...ES_HEADERS }, body };
}

export function esBuildInfo(ctx: SandboxContext) {
  return {
    name: "sandbox-es-0",
    cluster_name: "sandbox",
    cluster_uuid: "sandbox-cluster-uuid-0000000000",
    version: {
      number: ctx.version,
      build_flavor: "default",
      build_type: "docker",
      build_hash: "sandbox",
      build_date: "2025-01-01T00:00:00.000Z",
      build_snapshot: false,
      lucene_version: "10.0.0",
      minimum_wire_compatibility_version: "7.17.0",
      minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "You Know, for Search",
  };
}

export function esLicense(ctx: SandboxContext) {
  const l = ctx.license;
  return {
    license: {
      status: l.status,
      uid: l.uid,
      type: l.type,
      issue_date: new Date(l.issuedAt).toISOString(),
      issue_date_in_millis: l.issuedAt,
      ...(l.type === "basic" ? {} : { expiry_date_in_millis: l.issuedAt + 365 * 86_400_000 }),
      max_nodes: 1000,
      max_resource_units: null,
      issued_to: "sandbox",
      issuer: "elasticsearch",
      start_date_in_millis: -1,
    },
  };
}

export function createEsRouter(ctx: SandboxContext, faults: FaultInjector): Router {
  const router = createRouter({
    service: "elasticsearch",
    faults,
    before(req) {
      const media = ctx.esCompatibilityHeaders === "strict" ? checkCompatibilityHeaders(req, ctx.version) : undefined;
      if (media) return media;
      const auth = ctx.realm.authenticate(req.headers.authorization);
      // ES AuthenticationService: a failed basic login names the user; a failed API key gets the
      // generic text plus the API key detail in additional_unsuccessful_credentials.
      if (!auth.ok)
        return esUnauthorized(
          auth.reason === "missing"
            ? `missing authentication credentials for REST request [${req.path}]`
            : auth.scheme === "basic"
              ? `unable to authenticate user [${auth.username}] for REST request [${req.path}]`
              : `unable to authenticate with provided credentials and anonymous access is not allowed for this request`,
          auth.scheme === "apikey" ? { additional_unsuccessful_credentials: `API key: ${auth.detail}` } : {},
        );
      principals.set(req.req, auth.principal);
      return undefined;
    },
    notFound: (req) => ({
      status: 400,
      headers: { ...ES_HEADERS },
      body: { error: `no handler found for uri [${req.path}] and method [${req.method}]` },
    }),
    onError: (err) => esFromError(err),
  });
  const principalOf = (req: SandboxRequest) => principals.get(req.req)!;
  const requireIndex = (req: SandboxRequest, index: string, priv: string, action: string) => {
    const p = principalOf(req);
    if (!hasIndexPrivilege(p, index, priv))
      throw new EsError(
        403,
        "security_exception",
        `action [${action}] is unauthorized for ${p.apiKeyId ? `API key id [${p.apiKeyId}] of ` : ""}user [${p.username}] on indices [${index}], this action is granted by the index privileges [${priv},all]`,
      );
  };
  const body = (req: SandboxRequest) => (req.json() ?? {}) as Record<string, unknown>;

  router.on("GET", "/", () => ok(esBuildInfo(ctx)));
  router.on("HEAD", "/", () => ({ status: 200, headers: { ...ES_HEADERS } }));
  router.on("GET", "/_license", () => ok(esLicense(ctx)));
  registerSecurityRoutes(router, ctx, principalOf);

  const indexDoc = (req: SandboxRequest, id: string | undefined, forceCreate: boolean) => {
    const index = req.params.index!;
    const opType = forceCreate || req.query.get("op_type") === "create" ? "create" : "index";
    requireIndex(req, index, opType === "create" ? "create_doc" : "index", "indices:data/write/index");
    const source = body(req);
    const r = ctx.store.index(index, source, { id, opType });
    return ok(
      {
        _index: r.index,
        _id: r.id,
        _version: r.version,
        result: r.result,
        _shards: { total: 1, successful: 1, failed: 0 },
        _seq_no: r.seqNo,
        _primary_term: 1,
      },
      r.result === "created" ? 201 : 200,
    );
  };
  router.on("POST", "/:index/_doc", (req) => indexDoc(req, undefined, false));
  router.on("PUT", "/:index/_doc/:id", (req) => indexDoc(req, req.params.id, false));
  router.on("POST", "/:index/_doc/:id", (req) => indexDoc(req, req.params.id, false));
  router.on("PUT", "/:index/_create/:id", (req) => indexDoc(req, req.params.id, true));
  router.on("POST", "/:index/_create/:id", (req) => indexDoc(req, req.params.id, true));

  router.on("GET", "/:index/_doc/:id", (req) => {
    requireIndex(req, req.params.index!, "read", "indices:data/read/get");
    const found = ctx.store.get(req.params.index!, req.params.id!);
    if (!found)
      return {
        status: 404,
        headers: { ...ES_HEADERS },
        body: { _index: req.params.index, _id: req.params.id, found: false },
      };
    return ok({
      _index: found.index,
      _id: found.doc._id,
      _version: found.doc._version,
      _seq_no: found.doc._seq_no,
      _primary_term: 1,
      found: true,
      _source: found.doc._source,
    });
  });
  router.on("DELETE", "/:index/_doc/:id", (req) => {
    requireIndex(req, req.params.index!, "delete", "indices:data/write/delete");
    const gone = ctx.store.delete(req.params.index!, req.params.id!);
    return {
      status: gone ? 200 : 404,
      headers: { ...ES_HEADERS },
      body: {
        _index: gone?.index ?? req.params.index,
        _id: req.params.id,
        _version: (gone?.doc._version ?? 0) + 1,
        result: gone ? "deleted" : "not_found",
        _shards: { total: 1, successful: 1, failed: 0 },
      },
    };
  });

  const doSearch = (req: SandboxRequest, target: string) => {
    requireIndex(req, target, "read", "indices:data/read/search");
    const b = body(req) as SearchRequest;
    if (req.query.has("size")) b.size = Number(req.query.get("size"));
    if (req.query.has("from")) b.from = Number(req.query.get("from"));
    if (req.query.has("sort")) b.sort = req.query.get("sort")!;
    if (req.query.has("q"))
      throw new EsError(
        400,
        "illegal_argument_exception",
        "the sandbox does not support the q= (Lucene) parameter; send a query DSL body",
      );
    const ignoreUnavailable = req.query.get("ignore_unavailable") === "true";
    return ok(search(ctx.store, target, b, ctx.clock.now(), ignoreUnavailable || target.includes("*")));
  };
  router.on("*", "/_search", (req) => doSearch(req, "_all"));
  router.on("*", "/:index/_search", (req) => doSearch(req, req.params.index!));

  const doCount = (req: SandboxRequest, target: string) => {
    requireIndex(req, target, "read", "indices:data/read/search");
    const q = body(req).query;
    const indices = ctx.store.resolve(target, { allowMissing: target.includes("*") });
    const count = matchingDocs(indices, q, ctx.clock.now()).length;
    return ok({ count, _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 } });
  };
  router.on("*", "/_count", (req) => doCount(req, "_all"));
  router.on("*", "/:index/_count", (req) => doCount(req, req.params.index!));

  router.on("POST", "/:index/_delete_by_query", (req) => {
    requireIndex(req, req.params.index!, "delete", "indices:data/write/delete/byquery");
    const b = body(req);
    if (b.query === undefined)
      throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: query is missing;");
    const indices = ctx.store.resolve(req.params.index!, { allowMissing: req.params.index!.includes("*") });
    const hits = matchingDocs(indices, b.query, ctx.clock.now());
    for (const h of hits) h.index.docs.delete(h.doc._id);
    return ok({
      took: 0,
      timed_out: false,
      total: hits.length,
      deleted: hits.length,
      batches: hits.length ? 1 : 0,
      version_conflicts: 0,
      noops: 0,
      retries: { bulk: 0, search: 0 },
      throttled_millis: 0,
      requests_per_second: -1,
      throttled_until_millis: 0,
      failures: [],
    });
  });

  registerBulkAndIndexRoutes(router, ctx, requireIndex);
  return router;
}

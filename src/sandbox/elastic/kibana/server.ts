/**
 * The Kibana emulator's HTTP front: the `/s/<space>` prefix, authentication against the shared realm
 * (401 `{statusCode,error,message}` as Kibana's security plugin answers), `kbn-xsrf` on writes
 * (src/core/packages/http/server-internal/src/lifecycle_handlers.ts: "Request must contain a kbn-xsrf
 * header."), then the area routers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector } from "../../common/faults.js";
import { BadJson, createRouter, type Router } from "../../common/router.js";
import { type FleetEmulator, type FleetEmulatorOptions, installFleetEmulator } from "../../elastic-fleet/index.js";
import type { SandboxContext } from "../context.js";
import { registerCasesRoutes } from "./cases/routes.js";
import { registerConfigureRoutes } from "./cases/configure.js";
import { registerConnectorRoutes } from "./connectors/routes.js";
import { KibanaError, kbnError } from "./http.js";
import { setInfo } from "./request-context.js";
import { registerRuleRoutes } from "./rules/routes.js";
import { registerSignalsRoutes } from "./rules/signals.js";
import type { RuleScheduler } from "./rules/scheduler.js";
import { registerSpacesRoutes } from "./spaces/routes.js";
import { registerStatusRoutes } from "./status.js";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Public versioned routes (core versioned router): the one public version is 2023-10-31. */
const VERSIONED = /^\/api\/(actions|cases|detection_engine|alerting|fleet)\//;
export const PUBLIC_API_VERSION = "2023-10-31";

/**
 * src/core/packages/http/router-server-internal/src/versioned_router/{core_versioned_route,route_version_utils}.ts:
 * a malformed `elastic-api-version` is refused, a well-formed unknown one has no handler.
 */
function checkApiVersion(method: string, path: string, header: string | string[] | undefined): string | undefined {
  if (header === undefined || !VERSIONED.test(path)) return undefined;
  const version = String(header);
  const [y, m, d] = version.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  const valid =
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(version) && date.getUTCMonth() === (m ?? 0) - 1 && date.getUTCDate() === d;
  if (!valid) return `Invalid version. Received "${version}", expected a valid date string formatted as YYYY-MM-DD.`;
  if (version !== PUBLIC_API_VERSION)
    return `No version "${version}" available for [${method.toLowerCase()}] [${path}]. Available versions are: "${PUBLIC_API_VERSION}"`;
  return undefined;
}

export function createKibanaHandler(
  ctx: SandboxContext,
  faults: FaultInjector,
  scheduler: RuleScheduler,
  fleetOptions?: FleetEmulatorOptions,
): { handle: (req: IncomingMessage, res: ServerResponse) => void; fleet: FleetEmulator } {
  const router: Router = createRouter({
    service: "kibana",
    faults,
    before(req) {
      const auth = ctx.realm.authenticate(req.headers.authorization);
      if (!auth.ok) {
        if (auth.reason === "missing") return kbnError(401, "Unauthorized");
        // Kibana relays the ES security_exception of its `_security/_authenticate` call.
        const reason =
          auth.scheme === "basic"
            ? `unable to authenticate user [${auth.username}] for REST request [/_security/_authenticate]`
            : "unable to authenticate with provided credentials and anonymous access is not allowed for this request";
        return kbnError(401, `[security_exception\n\tRoot causes:\n\t\tsecurity_exception: ${reason}]: ${reason}`);
      }
      const info = { spaceId: spaceIdOf(req.req), principal: auth.principal };
      setInfo(req.req, info);
      if (
        WRITE_METHODS.has(req.method) &&
        req.headers["kbn-xsrf"] === undefined &&
        req.headers["kbn-version"] === undefined
      )
        return kbnError(400, "Request must contain a kbn-xsrf header.");
      if (!ctx.spaces.has(info.spaceId)) return kbnError(404, "Not Found");
      const versionError = checkApiVersion(req.method, req.path, req.headers["elastic-api-version"]);
      if (versionError) return kbnError(400, versionError);
      return undefined;
    },
    notFound: () => kbnError(404, "Not Found"),
    onError(err) {
      if (err instanceof KibanaError) return kbnError(err.status, err.message);
      if (err instanceof BadJson) return kbnError(400, "Invalid request payload JSON format");
      return kbnError(500, "An internal server error occurred.");
    },
  });
  registerStatusRoutes(router, ctx);
  registerSpacesRoutes(router, ctx);
  registerConnectorRoutes(router, ctx);
  registerConfigureRoutes(router, ctx);
  registerCasesRoutes(router, ctx);
  registerRuleRoutes(router, ctx, scheduler);
  registerSignalsRoutes(router, ctx);
  // Fleet routes live in their own emulator (src/sandbox/elastic-fleet), mounted on this router.
  const fleet = installFleetEmulator(router, ctx, fleetOptions);

  const spaceOfReq = new WeakMap<IncomingMessage, string>();
  function spaceIdOf(req: IncomingMessage): string {
    return spaceOfReq.get(req) ?? "default";
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // Strip `/s/<space>` like the spaces plugin's onRequest interceptor, remembering the space.
    const m = /^\/s\/([a-z0-9_-]+)(\/.*)?$/.exec((req.url ?? "/").split("?")[0]!);
    if (m) {
      spaceOfReq.set(req, m[1]!);
      const rest = (req.url ?? "/").slice(3 + m[1]!.length) || "/";
      req.url = rest.startsWith("/") ? rest : `/${rest}`;
    }
    void router.handle(req, res);
  };
  return { handle, fleet };
}

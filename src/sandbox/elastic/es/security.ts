/**
 * ES security endpoints the product uses for pre-flight checks: `_authenticate`,
 * `_has_privileges` (ES docs: security-api-has-privileges.html), and API key create/invalidate.
 */
import type { Router, SandboxRequest } from "../../common/router.js";
import {
  hasApplicationPrivilege,
  hasClusterPrivilege,
  hasIndexPrivilege,
  type Principal,
  type RoleGrant,
} from "../auth.js";
import type { SandboxContext } from "../context.js";
import { ES_HEADERS, esErrorResponse } from "./errors.js";

export type PrincipalOf = (req: SandboxRequest) => Principal;

interface HasPrivilegesBody {
  cluster?: string[];
  index?: { names: string | string[]; privileges: string[]; allow_restricted_indices?: boolean }[];
  application?: { application: string; privileges: string[]; resources: string[] }[];
}

export function hasPrivileges(p: Principal, body: HasPrivilegesBody) {
  let all = true;
  const cluster: Record<string, boolean> = {};
  for (const c of body.cluster ?? []) {
    cluster[c] = hasClusterPrivilege(p, c);
    all &&= cluster[c]!;
  }
  const index: Record<string, Record<string, boolean>> = {};
  for (const entry of body.index ?? []) {
    for (const name of Array.isArray(entry.names) ? entry.names : [entry.names]) {
      index[name] ??= {};
      const row = index[name];
      for (const priv of entry.privileges) {
        row[priv] = hasIndexPrivilege(p, name, priv);
        all &&= row[priv]!;
      }
    }
  }
  const application: Record<string, Record<string, Record<string, boolean>>> = {};
  for (const entry of body.application ?? []) {
    application[entry.application] ??= {};
    const app = application[entry.application];
    for (const resource of entry.resources) {
      app[resource] ??= {};
      const row = app[resource];
      for (const priv of entry.privileges) {
        row[priv] = hasApplicationPrivilege(p, entry.application, resource, priv);
        all &&= row[priv]!;
      }
    }
  }
  return { username: p.username, has_all_requested: all, cluster, index, application };
}

export function registerSecurityRoutes(router: Router, ctx: SandboxContext, principalOf: PrincipalOf): void {
  const ok = (body: unknown) => ({ status: 200, headers: { ...ES_HEADERS }, body });

  router.on("GET", "/_security/_authenticate", (req) => {
    const p = principalOf(req);
    return ok({
      username: p.username,
      roles: p.superuser ? ["superuser"] : ["sandbox_limited"],
      full_name: null,
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: {
        name: p.authType === "api_key" ? "_es_api_key" : "default_native",
        type: p.authType === "api_key" ? "_es_api_key" : "native",
      },
      lookup_realm: { name: "default_native", type: "native" },
      authentication_type: p.authType === "api_key" ? "api_key" : "realm",
      ...(p.apiKeyId ? { api_key: { id: p.apiKeyId, name: "sandbox" } } : {}),
    });
  });

  const check = (req: SandboxRequest) => {
    const body = (req.json() ?? {}) as HasPrivilegesBody;
    for (const k of Object.keys(body))
      if (!["cluster", "index", "application"].includes(k))
        return esErrorResponse(400, "x_content_parse_exception", `[1:2] [privileges] unknown field [${k}]`);
    return ok(hasPrivileges(principalOf(req), body));
  };
  router.on("POST", "/_security/user/_has_privileges", check);
  router.on("GET", "/_security/user/_has_privileges", check);

  router.on("POST", "/_security/api_key", (req) => createKey(req));
  router.on("PUT", "/_security/api_key", (req) => createKey(req));
  const createKey = (req: SandboxRequest) => {
    const p = principalOf(req);
    if (!hasClusterPrivilege(p, "manage_own_api_key"))
      return esErrorResponse(
        403,
        "security_exception",
        `action [cluster:admin/xpack/security/api_key/create] is unauthorized for user [${p.username}]`,
      );
    const body = (req.json() ?? {}) as {
      name?: string;
      role_descriptors?: Record<string, RoleGrant & { index?: RoleGrant["indices"] }>;
    };
    if (!body.name)
      return esErrorResponse(
        400,
        "action_request_validation_exception",
        "Validation Failed: 1: api key name is required;",
      );
    const descriptors = Object.values(body.role_descriptors ?? {});
    const grant: RoleGrant | undefined = descriptors.length
      ? {
          cluster: descriptors.flatMap((d) => d.cluster ?? []),
          indices: descriptors.flatMap((d) => d.indices ?? d.index ?? []),
          applications: descriptors.flatMap((d) => d.applications ?? []),
        }
      : undefined;
    // Without role descriptors a key inherits the creator's privileges (ES create-api-key docs).
    const key = ctx.realm.createApiKey({
      name: body.name,
      owner: p.username,
      grant: grant ?? p.grant,
      superuser: grant ? false : p.superuser,
    });
    const [, secret] = Buffer.from(key.encoded, "base64").toString().split(":");
    return ok({ id: key.id, name: body.name, api_key: secret, encoded: key.encoded });
  };

  router.on("DELETE", "/_security/api_key", (req) => {
    const body = (req.json() ?? {}) as { id?: string; ids?: string[] };
    const ids = body.ids ?? (body.id ? [body.id] : []);
    const invalidated = ids.filter((id) => ctx.realm.invalidateApiKey(id));
    return ok({ invalidated_api_keys: invalidated, previously_invalidated_api_keys: [], error_count: 0 });
  });
}

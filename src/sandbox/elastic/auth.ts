/**
 * Users, API keys and their privileges, shared by the Elasticsearch and Kibana emulators (Kibana
 * authenticates every request against Elasticsearch, so both see the same principals).
 *
 * Privilege checks follow ES `_has_privileges` semantics closely enough for a pre-flight check:
 * a superuser has everything; `all` implies every privilege of its kind; index names and application
 * resources are wildcard patterns. ES: x-pack/plugin/security/.../authz/privilege/IndexPrivilege.java.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { globMatch } from "./glob.js";

export interface IndexPrivilegeGrant {
  names: string[];
  privileges: string[];
}

export interface ApplicationPrivilegeGrant {
  application: string;
  privileges: string[];
  resources: string[];
}

/** What a role grants: the shape of an ES role descriptor, trimmed to what we check. */
export interface RoleGrant {
  cluster?: string[];
  indices?: IndexPrivilegeGrant[];
  applications?: ApplicationPrivilegeGrant[];
}

export interface Principal {
  username: string;
  superuser: boolean;
  grant: RoleGrant;
  /** Set when the request authenticated with an API key. */
  apiKeyId?: string;
  authType: "realm" | "api_key";
}

interface UserRecord {
  username: string;
  password: string;
  superuser: boolean;
  grant: RoleGrant;
}

interface ApiKeyRecord {
  id: string;
  name: string;
  key: string;
  owner: string;
  superuser: boolean;
  grant: RoleGrant;
  invalidated: boolean;
}

/** The application name Kibana registers its privileges under (default `kibana.index`). */
export const KIBANA_APPLICATION = "kibana-.kibana";

const INDEX_IMPLIES: Record<string, string[]> = {
  all: ["*"],
  write: ["write", "index", "create", "create_doc", "delete", "update"],
  index: ["index", "create", "create_doc", "update"],
  create: ["create", "create_doc"],
  read: ["read", "read_cross_cluster"],
  manage: ["manage", "view_index_metadata", "monitor", "create_index", "delete_index"],
};

const CLUSTER_IMPLIES: Record<string, string[]> = {
  all: ["*"],
  manage: ["manage", "monitor", "manage_index_templates", "manage_ingest_pipelines", "manage_ilm"],
  manage_security: ["manage_security", "manage_api_key", "manage_own_api_key"],
  manage_api_key: ["manage_api_key", "manage_own_api_key"],
};

function implied(table: Record<string, string[]>, granted: string, wanted: string): boolean {
  if (granted === wanted) return true;
  const set = table[granted];
  return !!set && (set.includes("*") || set.includes(wanted));
}

/** Kibana application privileges: `all` covers everything, `feature_x.all` covers `feature_x.*`. */
function appImplied(granted: string, wanted: string): boolean {
  if (granted === wanted || granted === "all" || granted === "*") return true;
  if (granted === "space_all" && (wanted === "space_read" || wanted.startsWith("feature_"))) return true;
  if (granted === "space_read" && (wanted.endsWith(".read") || wanted === "space_read")) return true;
  const g = /^(feature_[^.]+)\.(all|read|minimal_all|minimal_read)$/.exec(granted);
  const w = /^(feature_[^.]+)\.(.+)$/.exec(wanted);
  if (g && w && g[1] === w[1]) return g[2] === "all" || (g[2] === "read" && w[2] === "read");
  return globMatch(granted, wanted);
}

export function hasClusterPrivilege(p: Principal, priv: string): boolean {
  if (p.superuser) return true;
  return (p.grant.cluster ?? []).some((g) => implied(CLUSTER_IMPLIES, g, priv));
}

export function hasIndexPrivilege(p: Principal, index: string, priv: string): boolean {
  if (p.superuser) return true;
  return (p.grant.indices ?? []).some(
    (g) => g.names.some((n) => globMatch(n, index)) && g.privileges.some((gp) => implied(INDEX_IMPLIES, gp, priv)),
  );
}

export function hasApplicationPrivilege(p: Principal, application: string, resource: string, priv: string): boolean {
  if (p.superuser) return true;
  return (p.grant.applications ?? []).some(
    (g) =>
      globMatch(g.application, application) &&
      g.resources.some((r) => globMatch(r, resource)) &&
      g.privileges.some((gp) => appImplied(gp, priv)),
  );
}

/** Does the principal hold Kibana feature privilege `feature_<id>.<level>` in `space`? */
export function hasKibanaFeature(p: Principal, space: string, feature: string, level: "read" | "all"): boolean {
  return hasApplicationPrivilege(p, KIBANA_APPLICATION, `space:${space}`, `feature_${feature}.${level}`);
}

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "missing" | "invalid"; detail: string; scheme?: "basic" | "apikey"; username?: string };

export interface Realm {
  readonly superuser: { username: string; password: string };
  addUser(username: string, password: string, grant?: RoleGrant, superuser?: boolean): void;
  removeUser(username: string): void;
  /** Creates an API key; returns its id and the `encoded` value for `Authorization: ApiKey <encoded>`. */
  createApiKey(options: { name?: string; owner?: string; grant?: RoleGrant; superuser?: boolean }): {
    id: string;
    encoded: string;
  };
  invalidateApiKey(id: string): boolean;
  isApiKeyValid(id: string): boolean;
  authenticate(header: string | undefined): AuthResult;
}

export function createRealm(): Realm {
  const users = new Map<string, UserRecord>();
  const keys = new Map<string, ApiKeyRecord>();
  const superuser = { username: "elastic", password: randomBytes(12).toString("base64url") };
  users.set(superuser.username, { ...superuser, superuser: true, grant: {} });

  return {
    superuser,
    addUser(username, password, grant = {}, su = false) {
      users.set(username, { username, password, superuser: su, grant });
    },
    removeUser(username) {
      users.delete(username);
    },
    createApiKey({ name = "sandbox", owner = superuser.username, grant = {}, superuser: su }) {
      const id = randomUUID().replace(/-/g, "").slice(0, 20);
      const key = randomBytes(16).toString("base64url");
      const ownerRec = users.get(owner);
      // An API key without role descriptors inherits its owner's privileges (ES create API key docs).
      const isSu = su ?? (Object.keys(grant).length === 0 ? (ownerRec?.superuser ?? false) : false);
      const effective = Object.keys(grant).length === 0 && ownerRec ? ownerRec.grant : grant;
      keys.set(id, { id, name, key, owner, superuser: isSu, grant: effective, invalidated: false });
      return { id, encoded: Buffer.from(`${id}:${key}`).toString("base64") };
    },
    invalidateApiKey(id) {
      const rec = keys.get(id);
      if (!rec) return false;
      rec.invalidated = true;
      return true;
    },
    isApiKeyValid(id) {
      const rec = keys.get(id);
      return !!rec && !rec.invalidated;
    },
    authenticate(header) {
      if (!header) return { ok: false, reason: "missing", detail: "missing authentication credentials" };
      const [scheme, value = ""] = header.split(/\s+/, 2) as [string, string?];
      if (/^basic$/i.test(scheme)) {
        const decoded = Buffer.from(value, "base64").toString("utf8");
        const idx = decoded.indexOf(":");
        const username = idx < 0 ? decoded : decoded.slice(0, idx);
        const password = idx < 0 ? "" : decoded.slice(idx + 1);
        const rec = users.get(username);
        if (!rec || rec.password !== password)
          return {
            ok: false,
            reason: "invalid",
            detail: `unable to authenticate user [${username}]`,
            scheme: "basic",
            username,
          };
        return {
          ok: true,
          principal: { username, superuser: rec.superuser, grant: rec.grant, authType: "realm" },
        };
      }
      if (/^apikey$/i.test(scheme)) {
        const decoded = Buffer.from(value, "base64").toString("utf8");
        const idx = decoded.indexOf(":");
        const id = idx < 0 ? decoded : decoded.slice(0, idx);
        const rec = keys.get(id);
        if (!rec || rec.invalidated || rec.key !== decoded.slice(idx + 1))
          return {
            ok: false,
            reason: "invalid",
            detail: rec?.invalidated ? `api key [${id}] has been invalidated` : `unable to find apikey with id ${id}`,
            scheme: "apikey",
          };
        return {
          ok: true,
          principal: {
            username: rec.owner,
            superuser: rec.superuser,
            grant: rec.grant,
            apiKeyId: id,
            authType: "api_key",
          },
        };
      }
      return { ok: false, reason: "missing", detail: "missing authentication credentials" };
    },
  };
}

/** Kibana status, spaces, licensing and alerting health: what preflight reads. */
import { hasPath, notKibanaBaseUrl } from "./base-url.js";
import type { KibanaHttp } from "./http.js";

export interface KibanaStatus {
  name?: string;
  version?: { number: string; build_flavor?: "traditional" | "serverless"; build_hash?: string };
  status?: { overall?: { level?: string; state?: string } };
}

/**
 * `GET /api/status`. Unauthenticated callers may get the redacted `{status:{overall:{level}}}`. Every Kibana
 * serves it at its base URL, so a 404 for a URL with a path means the path is not the base path (a page
 * address, or a base path that is wrong): an input error, not a remote failure.
 */
export async function getStatus(http: KibanaHttp): Promise<KibanaStatus> {
  try {
    return (
      await http.request<KibanaStatus>({ method: "GET", path: "/api/status", spaceScoped: false, versioned: false })
    ).body;
  } catch (e) {
    // RemoteError carries `status`; the not-Kibana InputError (no kbn-name header) keeps it in `details`.
    const err = e as { status?: unknown; details?: { status?: unknown } };
    const status = err.status ?? err.details?.status;
    if (status === 404 && hasPath(http.baseUrl)) {
      throw notKibanaBaseUrl(http.baseUrl, "GET <url>/api/status answered 404");
    }
    throw e;
  }
}

export interface KibanaSpace {
  id: string;
  name: string;
  disabledFeatures?: string[];
  solution?: string;
}

/**
 * Does the space exist? `GET /api/spaces/space/{id}` answers 404 "Saved object [space/<id>] not found" for
 * a missing space. A bare 404 "Not Found" means the route itself is absent (spaces plugin disabled, or an
 * emulator without it): then ask a space-scoped route, which 404s when the space is unknown.
 */
export async function spaceExists(http: KibanaHttp, id: string): Promise<boolean> {
  try {
    await http.request<KibanaSpace>({
      method: "GET",
      path: `/api/spaces/space/${encodeURIComponent(id)}`,
      spaceScoped: false,
      privilege: "space read (any feature privilege in the space)",
    });
    return true;
  } catch (e) {
    const err = e as { status?: number; details?: { debugBody?: { message?: string } } };
    if (err.status !== 404) throw e;
    if (/space\//.test(err.details?.debugBody?.message ?? "")) return false;
  }
  const res = await http.request<unknown>({ method: "GET", path: "/api/actions/connector_types", allow404: true });
  return res !== undefined;
}

export interface AlertingHealth {
  is_sufficiently_secure?: boolean;
  has_permanent_encryption_key?: boolean;
  alerting_framework_health?: Record<string, { status?: string; timestamp?: string }>;
  /** The misspelled key of older versions (`alerting_framework_heath` in older elastic/kibana x-pack/plugins/alerting/server/routes/health.ts). */
  alerting_framework_heath?: Record<string, { status?: string; timestamp?: string }>;
}

/** `GET /api/alerting/_health`. */
export async function getAlertingHealth(http: KibanaHttp): Promise<AlertingHealth> {
  return (
    await http.request<AlertingHealth>({
      method: "GET",
      path: "/api/alerting/_health",
      privilege: "any Kibana feature privilege that includes alerting (e.g. Security → all)",
    })
  ).body;
}

export interface LicensingInfo {
  license?: { type?: string; status?: string; mode?: string };
}

/** `GET /api/licensing/info` (not in the public OAS, but served by every 8.x/9.x Kibana). */
export async function getLicensingInfo(http: KibanaHttp): Promise<LicensingInfo | undefined> {
  const res = await http.request<LicensingInfo>({
    method: "GET",
    path: "/api/licensing/info",
    spaceScoped: false,
    versioned: false,
    allow404: true,
  });
  return res?.body;
}

/**
 * `GET /api/spaces/space`: the spaces the credentials are authorised for (Kibana's default `purpose=any`;
 * x-pack/platform/plugins/shared/spaces/server/routes/api/external/get_all.ts). A Kibana without the spaces
 * plugin answers 404: then only the default space exists.
 */
export async function listSpaces(http: KibanaHttp): Promise<KibanaSpace[]> {
  const res = await http.request<KibanaSpace[]>({
    method: "GET",
    path: "/api/spaces/space",
    spaceScoped: false,
    allow404: true,
    privilege: "space read (any feature privilege in a space)",
  });
  if (!res) return [{ id: "default", name: "Default" }];
  return Array.isArray(res.body) ? res.body.map((s) => ({ id: s.id, name: s.name ?? s.id })) : [];
}

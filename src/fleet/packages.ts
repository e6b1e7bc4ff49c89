/**
 * EPM package endpoints (Fleet OAS "Elastic Package Manager (EPM)"):
 * - `GET /api/fleet/epm/packages/{pkgName}[/{pkgVersion}]` → `{item: PackageInfo}` (older stacks also `response`);
 *   without a version Fleet resolves the installed version, else the newest one the registry offers for this
 *   Kibana version (registry search with `kibana.version`), and reports the newest as `latestVersion`.
 * - `POST /api/fleet/epm/packages/{pkgName}/{pkgVersion}` body `{force, ignore_constraints}` installs or upgrades
 *   (`InstallPackageFromRegistryRequestSchema`, server/types/rest_spec/epm.ts). We never set
 *   `ignore_constraints`: an incompatible package is a precondition failure, not something to force.
 * - `DELETE /api/fleet/epm/packages/{pkgName}/{pkgVersion}` uninstalls.
 */
import type { FleetHttp } from "./http.js";
import type { PackageInfo } from "./types.js";

type InfoBody = { item?: PackageInfo; response?: PackageInfo };

const pkgPath = (name: string, version?: string) =>
  `/api/fleet/epm/packages/${encodeURIComponent(name)}${version ? `/${encodeURIComponent(version)}` : ""}`;

export async function getPackageInfo(
  http: FleetHttp,
  name: string,
  version?: string,
): Promise<PackageInfo | undefined> {
  const res = await http.request<InfoBody>({
    method: "GET",
    path: pkgPath(name, version),
    query: { prerelease: false },
    allow404: true,
    privilege: "Fleet: read integrations",
  });
  return res?.body.item ?? res?.body.response;
}

/** The installed version, whatever the stack calls it. */
export function installedVersion(info: PackageInfo | undefined): string | undefined {
  if (!info) return undefined;
  if (info.installationInfo?.version) return info.installationInfo.version;
  if (info.status === "installed") return info.savedObject?.attributes?.version ?? info.version;
  return undefined;
}

export async function installPackage(http: FleetHttp, name: string, version: string): Promise<void> {
  await http.request({
    method: "POST",
    path: pkgPath(name, version),
    body: { force: false, ignore_constraints: false },
    // Installing the same version again is a no-op in Fleet.
    idempotent: true,
    privilege: "Fleet: all integrations",
  });
}

export async function uninstallPackage(http: FleetHttp, name: string, version: string): Promise<void> {
  await http.request({
    method: "DELETE",
    path: pkgPath(name, version),
    allow404: true,
    privilege: "Fleet: all integrations",
  });
}

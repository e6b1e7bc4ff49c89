/**
 * Fleet's readiness. `GET /api/fleet/agents/setup` answers `{isReady, missing_requirements,
 * missing_optional_features}` (Fleet OAS operation `get-agents-setup-status`; common/types/rest_spec/fleet_setup.ts);
 * 404 means the Fleet plugin is disabled.
 */
import type { FleetHttp } from "./http.js";
import type { FleetStatus } from "./types.js";

export async function getFleetStatus(http: FleetHttp): Promise<FleetStatus | undefined> {
  const res = await http.request<FleetStatus>({
    method: "GET",
    path: "/api/fleet/agents/setup",
    allow404: true,
    privilege: "Fleet: read",
  });
  return res?.body;
}

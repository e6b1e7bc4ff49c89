/** Case settings (`/api/cases/configure`, elastic/kibana x-pack/platform/plugins/shared/cases/common/types/api/configure/v1.ts). Space-scoped; one configuration per owner. */
import type { KibanaHttp } from "./http.js";

const PRIVILEGE = "Security → Cases: All";

export type ClosureType = "close-by-user" | "close-by-pushing";

export interface CaseConnectorRef {
  id: string;
  name: string;
  type: string;
  fields: null | Record<string, unknown>;
}

export interface CaseConfiguration {
  id: string;
  version: string;
  owner: string;
  closure_type: ClosureType;
  connector: CaseConnectorRef;
  [key: string]: unknown;
}

/** `GET /api/cases/configure?owner=…` returns an array (empty when nothing is configured). */
export async function getCaseConfigurations(http: KibanaHttp, owner: string): Promise<CaseConfiguration[]> {
  return (
    await http.request<CaseConfiguration[]>({
      method: "GET",
      path: "/api/cases/configure",
      query: { owner },
      privilege: PRIVILEGE,
    })
  ).body;
}

/**
 * `POST /api/cases/configure`: deletes every existing configuration of the owner in the space and creates a
 * new one, so use it only when none exists. Repeating it converges on the same state, hence retryable.
 */
export async function createCaseConfiguration(
  http: KibanaHttp,
  body: { owner: string; closure_type: ClosureType; connector: CaseConnectorRef },
): Promise<CaseConfiguration> {
  return (
    await http.request<CaseConfiguration>({
      method: "POST",
      path: "/api/cases/configure",
      body,
      idempotent: true,
      privilege: PRIVILEGE,
    })
  ).body;
}

/** `PATCH /api/cases/configure/{id}` with the `version` from GET (required). Not retried: a repeat would conflict. */
export async function patchCaseConfiguration(
  http: KibanaHttp,
  id: string,
  body: { version: string; closure_type?: ClosureType; connector?: CaseConnectorRef },
): Promise<CaseConfiguration> {
  return (
    await http.request<CaseConfiguration>({
      method: "PATCH",
      path: `/api/cases/configure/${encodeURIComponent(id)}`,
      body,
      privilege: PRIVILEGE,
    })
  ).body;
}

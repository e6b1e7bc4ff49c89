/** Cases (`/api/cases`, https://www.elastic.co/docs/api/doc/kibana/group/endpoint-cases): what verify and the tests use to push a case through our connector. */
import type { KibanaHttp } from "./http.js";

const PRIVILEGE = "Security → Cases: All";

export interface ExternalService {
  connector_id: string;
  connector_name: string;
  external_id: string;
  external_title: string;
  external_url: string;
  pushed_at: string;
}

export interface Case {
  id: string;
  version: string;
  title: string;
  description: string;
  status: "open" | "in-progress" | "closed";
  severity: "low" | "medium" | "high" | "critical";
  tags: string[];
  external_service: ExternalService | null;
  [key: string]: unknown;
}

export interface NewCase {
  title: string;
  description: string;
  tags: string[];
  severity?: Case["severity"];
  connector: { id: string; name: string; type: string; fields: null };
}

export async function createCase(http: KibanaHttp, c: NewCase): Promise<Case> {
  return (
    await http.request<Case>({
      method: "POST",
      path: "/api/cases",
      body: { ...c, owner: "securitySolution", settings: { syncAlerts: false } },
      privilege: PRIVILEGE,
    })
  ).body;
}

export async function getCase(http: KibanaHttp, id: string): Promise<Case | undefined> {
  return (
    await http.request<Case>({
      method: "GET",
      path: `/api/cases/${encodeURIComponent(id)}`,
      allow404: true,
      privilege: PRIVILEGE,
    })
  )?.body;
}

export async function addCaseComment(http: KibanaHttp, caseId: string, comment: string): Promise<Case> {
  return (
    await http.request<Case>({
      method: "POST",
      path: `/api/cases/${encodeURIComponent(caseId)}/comments`,
      body: { type: "user", comment, owner: "securitySolution" },
      privilege: PRIVILEGE,
    })
  ).body;
}

/** `POST /api/cases/{caseId}/connector/{connectorId}/_push`; 424 when the connector fails. */
export async function pushCase(http: KibanaHttp, caseId: string, connectorId: string): Promise<Case> {
  return (
    await http.request<Case>({
      method: "POST",
      path: `/api/cases/${encodeURIComponent(caseId)}/connector/${encodeURIComponent(connectorId)}/_push`,
      privilege: PRIVILEGE,
    })
  ).body;
}

/** `GET /api/cases/_find` by tag (any of `tags`), owner securitySolution; the first `perPage` (max 100). */
export async function findCasesByTags(http: KibanaHttp, tags: string[], perPage = 100): Promise<Case[]> {
  const query = new URLSearchParams({ owner: "securitySolution", perPage: String(perPage) });
  for (const t of tags) query.append("tags", t);
  return (
    (
      await http.request<{ cases: Case[] }>({
        method: "GET",
        path: `/api/cases/_find?${query.toString()}`,
        privilege: PRIVILEGE,
      })
    ).body.cases ?? []
  );
}

/** `DELETE /api/cases?ids=[…]`. */
export async function deleteCases(http: KibanaHttp, ids: string[]): Promise<void> {
  await http.request({
    method: "DELETE",
    path: "/api/cases",
    query: { ids: JSON.stringify(ids) },
    privilege: PRIVILEGE,
  });
}

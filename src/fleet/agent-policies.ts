/**
 * Agent policy endpoints (Fleet OAS "Elastic Agent policies"):
 * `GET /api/fleet/agent_policies?kuery=…` → `{items, total, page, perPage}` (agent counts included unless
 * `noAgentCount`); `GET /api/fleet/agent_policies/{id}` → `{item}`; `POST /api/fleet/agent_policies` → `{item}`;
 * `POST /api/fleet/agent_policies/delete` body `{agentPolicyId}` → `{id, name}`.
 */
import { type FleetHttp, kqlString } from "./http.js";
import type { AgentPolicy } from "./types.js";

const PRIVILEGE = "Fleet: agent policies";

export async function findAgentPolicyByName(http: FleetHttp, name: string): Promise<AgentPolicy | undefined> {
  const res = await http.request<{ items: AgentPolicy[] }>({
    method: "GET",
    path: "/api/fleet/agent_policies",
    query: { kuery: `ingest-agent-policies.name:${kqlString(name)}`, perPage: 100 },
    privilege: PRIVILEGE,
  });
  return res.body.items.find((p) => p.name === name);
}

export async function getAgentPolicy(http: FleetHttp, id: string): Promise<AgentPolicy | undefined> {
  const res = await http.request<{ item: AgentPolicy }>({
    method: "GET",
    path: `/api/fleet/agent_policies/${encodeURIComponent(id)}`,
    allow404: true,
    privilege: PRIVILEGE,
  });
  return res?.body.item;
}

export async function createAgentPolicy(
  http: FleetHttp,
  policy: { name: string; namespace: string; description: string },
): Promise<AgentPolicy> {
  const res = await http.request<{ item: AgentPolicy }>({
    method: "POST",
    path: "/api/fleet/agent_policies",
    // Without this Fleet adds the system integration to a new policy; this policy only runs Sentinel collection.
    query: { sys_monitoring: false },
    body: policy,
    privilege: PRIVILEGE,
  });
  return res.body.item;
}

export async function deleteAgentPolicy(http: FleetHttp, id: string): Promise<void> {
  await http.request({
    method: "POST",
    path: "/api/fleet/agent_policies/delete",
    body: { agentPolicyId: id },
    idempotent: true,
    privilege: PRIVILEGE,
  });
}

/** Connectors API (`/api/actions/...`, elastic/kibana x-pack/platform/plugins/shared/actions/server/routes/connector). Space-scoped. */
import type { KibanaHttp } from "./http.js";

const PRIVILEGE = "Actions and Connectors: All (feature_actions.all)";

export interface ConnectorType {
  id: string;
  name: string;
  enabled: boolean;
  enabled_in_config: boolean;
  enabled_in_license: boolean;
  minimum_license_required: string;
  supported_feature_ids?: string[];
}

export interface Connector {
  id: string;
  name: string;
  connector_type_id: string;
  config?: Record<string, unknown>;
  is_preconfigured?: boolean;
  is_deprecated?: boolean;
  is_missing_secrets?: boolean;
}

export interface ConnectorBody {
  name: string;
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

export interface ExecuteResult {
  connector_id: string;
  status: "ok" | "error";
  data?: unknown;
  message?: string;
  service_message?: string;
  retry?: unknown;
}

/** `GET /api/actions/connector_types`. */
export async function listConnectorTypes(http: KibanaHttp): Promise<ConnectorType[]> {
  return (
    await http.request<ConnectorType[]>({ method: "GET", path: "/api/actions/connector_types", privilege: PRIVILEGE })
  ).body;
}

/** `GET /api/actions/connector/{id}`; undefined when absent. Secrets are never returned. */
export async function getConnector(http: KibanaHttp, id: string): Promise<Connector | undefined> {
  const res = await http.request<Connector>({
    method: "GET",
    path: `/api/actions/connector/${encodeURIComponent(id)}`,
    allow404: true,
    privilege: PRIVILEGE,
  });
  return res?.body;
}

/** `GET /api/actions/connectors`: every connector of the space (preconfigured ones included). */
export async function listConnectors(http: KibanaHttp): Promise<Connector[]> {
  return (await http.request<Connector[]>({ method: "GET", path: "/api/actions/connectors", privilege: PRIVILEGE }))
    .body;
}

/**
 * `POST /api/actions/connector/{id}`: the id is optional in the route (`/connector/{id?}`), so we give a
 * deterministic one and a re-run finds the same connector (the route is `connector/{id?}`: elastic/kibana x-pack/platform/plugins/shared/actions/server/routes/connector/create/create.ts). That makes the POST safe to
 * retry: a repeat cannot create a second connector (it gets 409).
 */
export async function createConnector(
  http: KibanaHttp,
  id: string,
  typeId: string,
  body: ConnectorBody,
): Promise<Connector> {
  return (
    await http.request<Connector>({
      method: "POST",
      path: `/api/actions/connector/${encodeURIComponent(id)}`,
      body: { name: body.name, connector_type_id: typeId, config: body.config, secrets: body.secrets },
      idempotent: true,
      privilege: PRIVILEGE,
    })
  ).body;
}

/** `PUT /api/actions/connector/{id}`: no connector_type_id; secrets must be re-sent (they are never returned). */
export async function updateConnector(http: KibanaHttp, id: string, body: ConnectorBody): Promise<Connector> {
  return (
    await http.request<Connector>({
      method: "PUT",
      path: `/api/actions/connector/${encodeURIComponent(id)}`,
      body,
      privilege: PRIVILEGE,
    })
  ).body;
}

export async function deleteConnector(http: KibanaHttp, id: string): Promise<boolean> {
  const res = await http.request<unknown>({
    method: "DELETE",
    path: `/api/actions/connector/${encodeURIComponent(id)}`,
    allow404: true,
    privilege: PRIVILEGE,
  });
  return res !== undefined;
}

/** `POST /api/actions/connector/{id}/_execute`. A connector failure is HTTP 200 with status 'error'. Not retried. */
export async function executeConnector(
  http: KibanaHttp,
  id: string,
  params: Record<string, unknown>,
): Promise<ExecuteResult> {
  return (
    await http.request<ExecuteResult>({
      method: "POST",
      path: `/api/actions/connector/${encodeURIComponent(id)}/_execute`,
      body: { params },
      privilege: PRIVILEGE,
    })
  ).body;
}

/**
 * Connector saved objects and the connector types the emulator knows. Response shape:
 * ACT/server/routes/connector/common_transforms/transform_connector_response/v1.ts.
 */
import type { LicenseType } from "../../context.js";

export interface StoredConnector {
  id: string;
  name: string;
  connector_type_id: string;
  config: Record<string, unknown>;
  /** Kept server-side only; never in a response (encrypted saved-object attribute in Kibana). */
  secrets: Record<string, unknown>;
  is_missing_secrets: boolean;
}

export interface ConnectorTypeInfo {
  id: string;
  name: string;
  minimum_license_required: LicenseType;
  supported_feature_ids: string[];
}

/** ACT/common connector feature ids; stack_connectors `index.ts` of each type. */
export const CONNECTOR_TYPES: ConnectorTypeInfo[] = [
  {
    id: ".cases-webhook",
    name: "Webhook - Case Management",
    minimum_license_required: "gold",
    supported_feature_ids: ["cases"],
  },
  {
    id: ".webhook",
    name: "Webhook",
    minimum_license_required: "gold",
    supported_feature_ids: ["alerting", "uptime", "siem"],
  },
  {
    id: ".index",
    name: "Index",
    minimum_license_required: "basic",
    supported_feature_ids: ["alerting", "uptime", "siem"],
  },
  {
    id: ".server-log",
    name: "Server log",
    minimum_license_required: "basic",
    supported_feature_ids: ["alerting", "uptime", "siem"],
  },
];

export function connectorResponse(c: StoredConnector) {
  return {
    id: c.id,
    name: c.name,
    config: c.config,
    connector_type_id: c.connector_type_id,
    is_preconfigured: false,
    is_deprecated: false,
    is_missing_secrets: c.is_missing_secrets,
    is_system_action: false,
  };
}

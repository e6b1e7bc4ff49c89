/**
 * Cases saved objects as the API returns them (CASES/common/types/domain/{case,configure,attachment,
 * external_service}/v1.ts).
 */
export interface CaseUser {
  username: string;
  full_name: string | null;
  email: string | null;
  profile_uid?: string;
}

export interface CaseConnectorRef {
  id: string;
  name: string;
  type: string;
  fields: Record<string, unknown> | null;
}

export interface CaseConfiguration {
  id: string;
  version: string;
  owner: string;
  connector: CaseConnectorRef;
  closure_type: "close-by-user" | "close-by-pushing";
  customFields: unknown[];
  templates: unknown[];
  observableTypes?: unknown[];
  mappings: unknown[];
  created_at: string;
  created_by: CaseUser;
  updated_at: string | null;
  updated_by: CaseUser | null;
  error: string | null;
}

export interface CaseAttachment {
  id: string;
  version: string;
  type: "user" | "alert";
  comment?: string;
  alertId?: string | string[];
  index?: string | string[];
  rule?: { id: string | null; name: string | null };
  owner: string;
  created_at: string;
  created_by: CaseUser;
  pushed_at: string | null;
  pushed_by: CaseUser | null;
  updated_at: string | null;
  updated_by: CaseUser | null;
}

export interface ExternalService {
  connector_id: string;
  connector_name: string;
  external_id: string;
  external_title: string;
  external_url: string;
  pushed_at: string;
  pushed_by: CaseUser;
}

export interface CaseRecord {
  id: string;
  version: string;
  owner: string;
  title: string;
  description: string;
  tags: string[];
  severity: "low" | "medium" | "high" | "critical";
  status: "open" | "in-progress" | "closed";
  connector: CaseConnectorRef;
  settings: { syncAlerts: boolean; extractObservables?: boolean };
  assignees: { uid: string }[];
  category?: string | null;
  customFields: unknown[];
  created_at: string;
  created_by: CaseUser;
  updated_at: string | null;
  updated_by: CaseUser | null;
  closed_at: string | null;
  closed_by: CaseUser | null;
  duration: number | null;
  external_service: ExternalService | null;
  comments: CaseAttachment[];
  /** Every push, newest last (Kibana keeps these as user actions; getLatestPushInfo reads the latest). */
  pushes: ExternalService[];
}

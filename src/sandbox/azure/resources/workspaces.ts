/**
 * Microsoft.OperationalInsights/workspaces and workspaces/tables.
 * Tables: azure-rest-api-specs operationalinsights/…/stable/2025-07-01/Tables.json and the ARM schema
 * (table name `^[A-Za-z0-9-_]+$`, 4–63 chars; plan Basic|Analytics|Auxiliary; retentionInDays 4–730 or -1;
 * totalRetentionInDays 4–4383 or -1; column types string|int|long|real|boolean|dateTime|guid|dynamic).
 * Custom tables end in `_CL` and need a `TimeGenerated` dateTime column
 * (https://learn.microsoft.com/azure/azure-monitor/logs/create-custom-table). Tables created by the legacy
 * Data Collector API are `Classic` and are refused by the Logs Ingestion API until migrated (`…/migrate`).
 */
import { randomUUID } from "node:crypto";
import { badRequest } from "../errors.js";
import type { ArmResource, AzureState } from "../state.js";
import { ok, type PutRequest, type ResourceHandler } from "./types.js";

const OI_VERSIONS = [
  "2015-11-01-preview",
  "2020-03-01-preview",
  "2020-08-01",
  "2020-10-01",
  "2021-06-01",
  "2021-12-01-preview",
  "2022-10-01",
  "2023-09-01",
  "2025-02-01",
  "2025-07-01",
];
const COLUMN_TYPES = ["string", "int", "long", "real", "boolean", "dateTime", "guid", "dynamic"];
const RESERVED_COLUMNS = [
  "TenantId",
  "Type",
  "_ResourceId",
  "_TimeReceived",
  "_ItemId",
  "_BilledSize",
  "_IsBillable",
  "SourceSystem",
];

export function workspaceResource(
  state: AzureState,
  p: {
    id: string;
    name: string;
    location: string;
    customerId?: string;
    tags?: Record<string, string>;
    createdDate?: string;
  },
): ArmResource {
  const now = state.nowIso();
  return {
    id: p.id,
    name: p.name,
    type: "Microsoft.OperationalInsights/workspaces",
    location: p.location,
    tags: p.tags ?? {},
    etag: state.newEtag(),
    properties: {
      customerId: p.customerId ?? randomUUID(),
      provisioningState: "Succeeded",
      sku: { name: "PerGB2018", lastSkuUpdate: p.createdDate ?? now },
      retentionInDays: 30,
      features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
      workspaceCapping: { dailyQuotaGb: -1, dataIngestionStatus: "RespectQuota" },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      createdDate: p.createdDate ?? now,
      modifiedDate: now,
    },
  };
}

function putWorkspace(r: PutRequest) {
  const { body, env, existing } = r;
  const base = workspaceResource(env.state, {
    id: r.id,
    name: r.name,
    location: body.location,
    customerId: existing?.resource.properties.customerId,
    tags: body.tags,
    createdDate: existing?.resource.properties.createdDate,
  });
  const props = body.properties ?? {};
  if (props.retentionInDays !== undefined) {
    const d = props.retentionInDays;
    if (typeof d !== "number" || d < 30 || d > 730)
      throw badRequest(
        "InvalidParameter",
        `Workspace retention ${d} is not valid: it must be between 30 and 730 days.`,
      );
    base.properties.retentionInDays = d;
  }
  if (props.sku?.name) base.properties.sku.name = props.sku.name;
  return { resource: base };
}

export interface ColumnInput {
  name: string;
  type: string;
  description?: string;
  displayName?: string;
  dataTypeHint?: string;
}

export function checkColumns(table: string, columns: unknown): ColumnInput[] {
  if (!Array.isArray(columns) || columns.length === 0)
    throw badRequest("InvalidParameter", `Table '${table}': 'properties.schema.columns' must be a non-empty array.`);
  const seen = new Set<string>();
  for (const c of columns as ColumnInput[]) {
    if (!c || typeof c.name !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,44}$/.test(c.name))
      throw badRequest(
        "InvalidParameter",
        `Table '${table}': column name '${c?.name}' is not valid: it must start with a letter and contain only letters, digits and underscores (at most 45 characters).`,
      );
    if (RESERVED_COLUMNS.some((x) => x.toLowerCase() === c.name.toLowerCase()))
      throw badRequest("InvalidParameter", `Table '${table}': column name '${c.name}' is reserved.`);
    if (seen.has(c.name.toLowerCase()))
      throw badRequest("InvalidParameter", `Table '${table}': column '${c.name}' is defined more than once.`);
    seen.add(c.name.toLowerCase());
    if (!COLUMN_TYPES.includes(c.type))
      throw badRequest(
        "InvalidParameter",
        `Table '${table}': column '${c.name}' has type '${c.type}', which is not one of ${COLUMN_TYPES.join(", ")}.`,
      );
  }
  const tg = (columns as ColumnInput[]).find((c) => c.name === "TimeGenerated");
  if (tg?.type !== "dateTime")
    throw badRequest(
      "InvalidParameter",
      `Table '${table}': a custom table needs a 'TimeGenerated' column of type 'dateTime'.`,
    );
  return columns as ColumnInput[];
}

export function tableResource(
  _state: AzureState,
  id: string,
  name: string,
  columns: ColumnInput[],
  opts: {
    subType: "Classic" | "DataCollectionRuleBased";
    plan?: string;
    retentionInDays?: number;
    totalRetentionInDays?: number;
    description?: string;
  },
): ArmResource {
  const retention = opts.retentionInDays ?? -1;
  const total = opts.totalRetentionInDays ?? -1;
  return {
    id,
    name,
    type: "Microsoft.OperationalInsights/workspaces/tables",
    properties: {
      totalRetentionInDays: total === -1 ? 30 : total,
      archiveRetentionInDays: 0,
      plan: opts.plan ?? "Analytics",
      retentionInDaysAsDefault: retention === -1,
      totalRetentionInDaysAsDefault: total === -1,
      retentionInDays: retention === -1 ? 30 : retention,
      provisioningState: "Succeeded",
      schema: {
        name,
        tableSubType: opts.subType,
        tableType: "CustomLog",
        ...(opts.description ? { description: opts.description } : {}),
        columns,
        standardColumns: [
          { name: "TenantId", type: "guid", isDefaultDisplay: false, isHidden: false },
          { name: "Type", type: "string", isDefaultDisplay: false, isHidden: false },
          { name: "_ResourceId", type: "string", isDefaultDisplay: false, isHidden: true },
        ],
        solutions: ["LogManagement"],
        isTroubleshootingAllowed: false,
      },
    },
  };
}

/** Create a table as the legacy Data Collector API did (`Classic`), e.g. to test the migration path. */
export function createClassicTable(
  state: AzureState,
  workspaceId: string,
  name: string,
  columns: ColumnInput[],
): ArmResource {
  const id = `${workspaceId}/tables/${name}`;
  const res = tableResource(state, id, name, columns, { subType: "Classic" });
  state.put(res, "2022-10-01");
  return res;
}

function putTable(r: PutRequest) {
  const { body, env, existing } = r;
  const props = body.properties ?? {};
  const name = r.name;
  if (name.length < 4 || name.length > 63 || !/^[A-Za-z0-9-_]+$/.test(name))
    throw badRequest("InvalidParameter", `Table name '${name}' is not valid: 4-63 letters, digits, '-' or '_'.`);
  if (!existing && !name.endsWith("_CL"))
    throw badRequest(
      "InvalidParameter",
      `Table '${name}' does not exist and cannot be created: custom table names must end with '_CL'.`,
    );
  if (props.plan !== undefined && !["Basic", "Analytics", "Auxiliary"].includes(props.plan))
    throw badRequest("InvalidParameter", `Table plan '${props.plan}' is not valid: Basic, Analytics or Auxiliary.`);
  const ret = props.retentionInDays;
  if (ret !== undefined && ret !== -1 && (typeof ret !== "number" || ret < 4 || ret > 730))
    throw badRequest(
      "InvalidParameter",
      `retentionInDays ${ret} is not valid: 4 to 730, or -1 for the workspace default.`,
    );
  const total = props.totalRetentionInDays;
  if (total !== undefined && total !== -1 && (typeof total !== "number" || total < 4 || total > 4383))
    throw badRequest("InvalidParameter", `totalRetentionInDays ${total} is not valid: 4 to 4383, or -1.`);
  const schema = props.schema ?? {};
  if (schema.name !== undefined && schema.name !== name)
    throw badRequest("InvalidParameter", `The schema name '${schema.name}' must equal the table name '${name}'.`);
  const columns = checkColumns(name, schema.columns);
  const subType =
    existing?.resource.properties.schema?.tableSubType === "Classic" ? "Classic" : "DataCollectionRuleBased";
  return {
    resource: tableResource(env.state, r.id, name, columns, {
      subType,
      plan: props.plan,
      retentionInDays: ret,
      totalRetentionInDays: total,
      description: schema.description,
    }),
  };
}

export const workspacesHandler: ResourceHandler = {
  type: "Microsoft.OperationalInsights/workspaces",
  apiVersions: OI_VERSIONS,
  tracked: true,
  // https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftoperationalinsights
  checkName: (n) =>
    /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(n)
      ? undefined
      : `The workspace name '${n}' is not valid: 4-63 letters, digits and hyphens, starting and ending with a letter or digit.`,
  put: putWorkspace,
};

export const tablesHandler: ResourceHandler = {
  type: "Microsoft.OperationalInsights/workspaces/tables",
  apiVersions: OI_VERSIONS.filter((v) => v >= "2021-12-01"),
  tracked: false,
  put: putTable,
  subRoutes: [
    {
      method: "POST",
      pattern: "migrate",
      action: "Microsoft.OperationalInsights/workspaces/tables/migrate/action",
      handle: ({ resource }) => {
        resource.resource.properties.schema.tableSubType = "DataCollectionRuleBased";
        return ok(undefined, 200);
      },
    },
  ],
};

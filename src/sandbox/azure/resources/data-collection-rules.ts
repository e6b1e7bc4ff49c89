/**
 * Microsoft.Insights/dataCollectionRules (2024-03-11 example DataCollectionRulesCreateEmbeddedDCE.json and the
 * ARM schema): `kind: Direct` rules get `immutableId` and `endpoints.logsIngestion` (here: the sandbox's
 * ingestion server); stream declarations must be named `Custom-…`; a data flow's output stream for a custom
 * table is `Custom-<Table>_CL` and the table must exist in the destination workspace (Azure answers
 * `InvalidOutputTable` otherwise). The transform is parsed with the data plane's KQL subset.
 */
import { randomBytes } from "node:crypto";
import { badRequest } from "../errors.js";
import { parseKql } from "../data/index.js";
import type { ArmResource } from "../state.js";
import type { PutRequest, ResourceHandler } from "./types.js";

const STREAM_TYPES = ["string", "int", "long", "real", "boolean", "datetime", "dynamic"];
const KINDS = ["Linux", "Windows", "Direct", "AgentDirectToStore", "WorkspaceTransforms", "PlatformTelemetry"];

const invalid = (message: string) => badRequest("InvalidPayload", `Data collection rule is invalid: ${message}`);

function putDcr(r: PutRequest) {
  const { body, env, existing } = r;
  const props = body.properties;
  if (!props || typeof props !== "object") throw invalid("'properties' is required.");
  let kind: string | undefined;
  if (body.kind !== undefined) {
    kind = KINDS.find((k) => k.toLowerCase() === String(body.kind).trim().toLowerCase());
    if (!kind) throw invalid(`kind '${body.kind}' is not one of ${KINDS.join(", ")}.`);
  }
  const streams = (props.streamDeclarations ?? {}) as Record<string, { columns?: { name: string; type: string }[] }>;
  for (const [name, decl] of Object.entries(streams)) {
    if (!name.startsWith("Custom-")) throw invalid(`stream declaration '${name}' must start with 'Custom-'.`);
    if (!Array.isArray(decl?.columns) || decl.columns.length === 0)
      throw invalid(`stream declaration '${name}' needs at least one column.`);
    for (const c of decl.columns)
      if (!STREAM_TYPES.includes(String(c.type)))
        throw invalid(
          `column '${c.name}' of stream '${name}' has type '${c.type}', not one of ${STREAM_TYPES.join(", ")}.`,
        );
  }
  const las = (props.destinations?.logAnalytics ?? []) as { name: string; workspaceResourceId: string }[];
  const destNames = new Map<string, ArmResource>();
  for (const d of las) {
    if (!d.name || !d.workspaceResourceId)
      throw invalid("each logAnalytics destination needs 'name' and 'workspaceResourceId'.");
    const ws = env.state.getResource(d.workspaceResourceId);
    if (!ws) throw invalid(`destination '${d.name}': workspace '${d.workspaceResourceId}' was not found.`);
    destNames.set(d.name, ws);
  }
  const flows = (props.dataFlows ?? []) as {
    streams: string[];
    destinations: string[];
    transformKql?: string;
    outputStream?: string;
  }[];
  if (kind === "Direct" && flows.length === 0) throw invalid("a Direct rule needs at least one data flow.");
  for (const f of flows) {
    if (!Array.isArray(f.streams) || f.streams.length === 0) throw invalid("each data flow needs 'streams'.");
    if (!Array.isArray(f.destinations) || f.destinations.length === 0)
      throw invalid("each data flow needs 'destinations'.");
    for (const s of f.streams)
      if (s.startsWith("Custom-") && !streams[s])
        throw invalid(`data flow stream '${s}' is not declared in streamDeclarations.`);
    for (const d of f.destinations)
      if (!destNames.has(d)) throw invalid(`data flow destination '${d}' is not defined.`);
    if (f.transformKql !== undefined && f.transformKql !== "source") {
      try {
        const q = parseKql(f.transformKql);
        if (q.source !== "source") throw new Error("a transformation must start with 'source'");
      } catch (e) {
        throw badRequest("InvalidTransformQuery", `Transformation query is invalid: ${(e as Error).message}`);
      }
    }
    const output = f.outputStream ?? (f.streams.length === 1 ? f.streams[0] : undefined);
    if (output?.startsWith("Custom-")) {
      const table = output.slice("Custom-".length);
      for (const d of f.destinations) {
        const ws = destNames.get(d)!;
        if (!env.state.getTable(ws.id, table))
          throw badRequest(
            "InvalidOutputTable",
            `Table for output stream '${output}' is not available for destination '${d}'.`,
          );
      }
    }
  }
  const old = existing?.resource;
  const immutableId = old?.properties.immutableId ?? `dcr-${randomBytes(16).toString("hex")}`;
  const resource: ArmResource = {
    id: r.id,
    name: r.name,
    type: "Microsoft.Insights/dataCollectionRules",
    location: body.location,
    ...(kind ? { kind } : {}),
    tags: body.tags ?? {},
    etag: env.state.newEtag(),
    properties: {
      ...(props.description ? { description: props.description } : {}),
      immutableId,
      ...(kind === "Direct"
        ? {
            endpoints: {
              logsIngestion: env.state.endpoints.logsIngestion,
              metricsIngestion: env.state.endpoints.logsIngestion,
            },
          }
        : {}),
      ...(props.dataCollectionEndpointId ? { dataCollectionEndpointId: props.dataCollectionEndpointId } : {}),
      streamDeclarations: streams,
      destinations: props.destinations ?? {},
      dataFlows: flows,
      provisioningState: "Succeeded",
    },
  };
  return { resource };
}

export const dataCollectionRulesHandler: ResourceHandler = {
  type: "Microsoft.Insights/dataCollectionRules",
  apiVersions: ["2019-11-01-preview", "2021-04-01", "2021-09-01-preview", "2022-06-01", "2023-03-11", "2024-03-11"],
  tracked: true,
  checkName: (n) =>
    /^[A-Za-z0-9][A-Za-z0-9-_.]{1,62}[A-Za-z0-9_]$/.test(n)
      ? undefined
      : `The data collection rule name '${n}' is not valid.`,
  put: putDcr,
};

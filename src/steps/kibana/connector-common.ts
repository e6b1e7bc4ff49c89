/**
 * Plan/apply/verify shared by our two connectors: find by deterministic id, compare field by field,
 * create or update (PUT re-sends the secrets, which Kibana never returns). The callback URL may not be
 * known at plan time on a first run (the Azure steps create the Logic Apps later in the same run): the plan
 * says so and apply reads the URL from ctx.shared.
 */
import type { Change, Check, Step, StepContext } from "../../engine/types.js";
import { PreconditionError, type SentinelElasticError } from "../../errors.js";
import type { Connector, ConnectorBody } from "../../kibana/connectors.js";
import {
  adoptReason,
  conflictChange,
  connectorIsOurs,
  INSTANCE_HEADER,
  isAdopted,
  ownershipOf,
  withInstanceHeader,
} from "../../ownership/marker.js";
import { registerSecret } from "../../redact.js";
import { rotateRequested } from "../azure/access-keys.js";
import { ownedObjectTeardown } from "../teardown-common.js";
import { diffFields, type FieldDiff, type KibanaStepContext } from "./stack.js";
import { PREFIX_INPUT } from "../../names.js";

export interface ConnectorSpec {
  step: string;
  resource: string;
  id: string;
  typeId: string;
  urlFields: string[];
  /** What the URL is called in messages, e.g. "case-sync callback URL". */
  urlName: string;
  /** True when every callback URL the body needs is in ctx.shared. */
  urlsKnown(ctx: KibanaStepContext): boolean;
  /**
   * The desired body; with `placeholderUrls` when the URLs are not known yet (plan only). `forWrite`: the body is
   * about to be written (apply), so its secrets must be real; plan and verify compare config only.
   */
  build(ctx: KibanaStepContext, placeholderUrls: boolean, forWrite?: boolean): Promise<ConnectorBody>;
  /** Why the secrets must be written again although the config matches (a rotated client secret), if they must. */
  secretsChanged?(ctx: KibanaStepContext): string | undefined;
  /** That rewrite is upkeep (a secret rotated for its age), not drift (Change.upkeep). */
  secretsUpkeep?(ctx: KibanaStepContext): boolean;
  /**
   * What of the existing connector the desired body keeps (e.g. the case connector's replaced-connector marker,
   * connector-bodies.ts): applied before comparing and before writing, so it is never drift and never lost.
   */
  carryOver?(existing: Connector, desired: ConnectorBody): ConnectorBody;
}

const keep = (spec: ConnectorSpec, existing: Connector | undefined, body: ConnectorBody) =>
  existing && spec.carryOver ? spec.carryOver(existing, body) : body;

/** The desired body, carrying our ownership marker (the instance header, src/ownership/marker.ts). */
export async function markedBody(
  ctx: KibanaStepContext,
  spec: ConnectorSpec,
  placeholderUrls: boolean,
  forWrite = false,
): Promise<ConnectorBody> {
  const body = await spec.build(ctx, placeholderUrls, forWrite);
  return { ...body, config: withInstanceHeader(body.config, ctx.names.prefix) };
}

export const PLACEHOLDER_URL = "https://callback-url.invalid/known-after-the-azure-deployment";

/** The callback URLs carry a `sig`: make sure the redactor knows them before anything can print them. */
function registerCallbackSecrets(ctx: KibanaStepContext): void {
  for (const url of Object.values(ctx.shared.callbackUrls)) {
    if (!url) continue;
    try {
      registerSecret(new URL(url).searchParams.get("sig"));
    } catch {}
    registerSecret(url);
  }
}

export async function planConnector(ctx: KibanaStepContext, spec: ConnectorSpec): Promise<Change[]> {
  registerCallbackSecrets(ctx);
  const kibana = await ctx.clients.kibana();
  const known = spec.urlsKnown(ctx);
  const existing = await kibana.getConnector(spec.id);
  const desired = keep(spec, existing, await markedBody(ctx, spec, !known));
  const base = { step: spec.step, target: "kibana" as const, resource: spec.resource, name: spec.id };
  const owner = ownershipOf(Boolean(existing), connectorIsOurs(existing, ctx.names.prefix), ctx.shared, spec.id);
  if (owner === "conflict") return [conflictChange(base, `connector ${spec.id}`)];
  if (!existing) {
    return [
      {
        ...base,
        action: "create",
        reason: known ? "not found" : `not found (${spec.urlName} known after the Azure deployment)`,
      },
    ];
  }
  if (existing.connector_type_id !== spec.typeId) {
    throw new PreconditionError(
      `A connector with our id ${spec.id} exists but is of type ${existing.connector_type_id}, not ${spec.typeId}; its type cannot be changed.`,
      {
        code: "KIBANA_CONNECTOR_WRONG_TYPE",
        suggestion: `Delete connector ${spec.id} in Stack Management → Connectors (or choose another --prefix) and re-run.`,
      },
    );
  }
  if (existing.is_preconfigured) {
    throw new PreconditionError(
      `Connector ${spec.id} is preconfigured in kibana.yml and cannot be changed through the API.`,
      {
        code: "KIBANA_CONNECTOR_PRECONFIGURED",
        suggestion: "Remove it from xpack.actions.preconfigured or choose another --prefix.",
      },
    );
  }
  const diff: FieldDiff[] = [
    ...(existing.name === desired.name ? [] : [{ field: "name", from: existing.name, to: desired.name }]),
    ...diffFields(existing.config, desired.config, {
      prefix: "config.",
      urlFields: spec.urlFields,
      skip: known ? [] : spec.urlFields,
    }),
  ];
  if (existing.is_missing_secrets) diff.push({ field: "secrets", from: "missing", to: "re-sent" });
  if (owner === "adopt") {
    return [{ ...base, action: "update", reason: adoptReason(`connector ${spec.id}`), destructive: true, diff }];
  }
  if (diff.length) {
    return [{ ...base, action: "update", reason: `${diff.length} field(s) differ`, diff }];
  }
  const secrets = spec.secretsChanged?.(ctx);
  if (secrets)
    return [{ ...base, action: "update", reason: secrets, ...(spec.secretsUpkeep?.(ctx) ? { upkeep: true } : {}) }];
  if (rotateRequested(ctx)) {
    return [
      { ...base, action: "update", reason: `${spec.urlName} re-signed (--rotate-keys): rewritten with the new one` },
    ];
  }
  if (!known) {
    return [
      {
        ...base,
        action: "update",
        reason: `${spec.urlName} known after the Azure deployment; compared and re-sent then if it differs`,
      },
    ];
  }
  return [{ ...base, action: "no-op", reason: "up to date" }];
}

/** Writes the planned change; true when the connector was written. */
export async function applyConnector(ctx: KibanaStepContext, spec: ConnectorSpec, changes: Change[]): Promise<boolean> {
  const change = changes.find((c) => c.step === spec.step && c.name === spec.id && c.action !== "no-op");
  if (!change) return false;
  if (!spec.urlsKnown(ctx)) {
    throw new PreconditionError(`The ${spec.urlName} is not known, so connector ${spec.id} cannot be written.`, {
      code: "CALLBACK_URL_MISSING",
      suggestion: "The Azure steps provide it; run setup with the Azure side enabled (or re-run after it succeeded).",
    });
  }
  registerCallbackSecrets(ctx);
  const kibana = await ctx.clients.kibana();
  const built = await markedBody(ctx, spec, false, true);
  let body = built;
  try {
    const existing = await kibana.getConnector(spec.id);
    if (existing && !connectorIsOurs(existing, ctx.names.prefix) && !isAdopted(ctx.shared, spec.id))
      throw notOurs(spec.id);
    body = keep(spec, existing, built);
    if (!existing) {
      try {
        await kibana.createConnector(spec.id, spec.typeId, body);
        return true;
      } catch (e) {
        // A retried POST (or a concurrent run) may have created it already: fall through to an update.
        if ((e as SentinelElasticError).code !== "KIBANA_CONFLICT") throw e;
      }
    } else {
      const same =
        existing.name === body.name &&
        !existing.is_missing_secrets &&
        !spec.secretsChanged?.(ctx) &&
        diffFields(existing.config, body.config).length === 0;
      if (same) return false;
    }
    await kibana.updateConnector(spec.id, body);
    return true;
  } catch (e) {
    throw explainAllowedHosts(e, spec);
  }
}

/** Someone else's connector took our id between the plan and apply: never overwritten. */
export function notOurs(id: string): PreconditionError {
  return new PreconditionError(`Connector ${id} has our id but not our marker: it is someone else's; left alone.`, {
    code: "OWNERSHIP_CONFLICT",
    suggestion: `Choose another ${PREFIX_INPUT} (--prefix), or take it over with --adopt ${id}.`,
  });
}

/**
 * Kibana checks every connector URL (the view link to the Azure portal included) against
 * `xpack.actions.allowedHosts` on save (https://www.elastic.co/docs/reference/kibana/configuration-reference/alerting-settings); say which hosts to allow.
 */
function explainAllowedHosts(e: unknown, spec: ConnectorSpec): unknown {
  const message = e instanceof Error ? e.message : "";
  if (!/allowedHosts/.test(message)) return e;
  const host = /target url "([^"]+)"/.exec(message)?.[1];
  let hostname = "";
  try {
    hostname = host ? new URL(host).hostname : "";
  } catch {}
  return new PreconditionError(
    `Kibana refuses connector ${spec.id}: ${hostname || "a host it calls"} is not in xpack.actions.allowedHosts.`,
    {
      code: "KIBANA_HOST_NOT_ALLOWED",
      cause: e,
      suggestion: `Add ${hostname || "the Logic Apps' host and the Azure portal host"} to xpack.actions.allowedHosts in kibana.yml (the Logic Apps' host, e.g. *.logic.azure.com, and the portal host are both needed), restart Kibana and re-run.`,
    },
  );
}

export async function verifyConnector(ctx: KibanaStepContext, spec: ConnectorSpec, title: string): Promise<Check> {
  const kibana = await ctx.clients.kibana();
  const existing = await kibana.getConnector(spec.id);
  const id = `${spec.step}.config`;
  if (!existing) {
    return {
      id,
      title,
      status: "fail",
      cause: `connector ${spec.id} not found`,
      remedy: "Re-run `sentinel-elastic setup`.",
    };
  }
  if (!connectorIsOurs(existing, ctx.names.prefix)) {
    return {
      id,
      title,
      status: "fail",
      cause: `connector ${spec.id} has our id but not our marker (someone else's)`,
      remedy: `Choose another ${PREFIX_INPUT}, or re-run setup with --adopt ${spec.id}.`,
    };
  }
  const known = spec.urlsKnown(ctx);
  const body = keep(spec, existing, await markedBody(ctx, spec, !known));
  const diff = diffFields(existing.config, body.config, {
    urlFields: spec.urlFields,
    skip: known ? [] : spec.urlFields,
  });
  if (diff.length || existing.is_missing_secrets) {
    return {
      id,
      title,
      status: "fail",
      cause: `connector ${spec.id} differs in ${diff.map((d) => d.field).join(", ") || "secrets"}`,
      remedy: "Re-run `sentinel-elastic setup` to put it back.",
    };
  }
  return {
    id,
    title,
    status: known ? "pass" : "warn",
    evidence: `connector ${spec.id} (${spec.typeId})${known ? "" : `; ${spec.urlName} not checked`}`,
  };
}

/** Our marker on a connector, as plans show it. */
export const connectorMarker = (prefix: string) => `header ${INSTANCE_HEADER}: ${prefix}`;

/** Teardown of one of our connectors, by its deterministic id and our header, after what points at it. */
export function connectorTeardown(o: {
  id: string;
  title: string;
  after: string[];
  typeId: string;
  connectorId(ctx: StepContext): string;
}): Step {
  return ownedObjectTeardown({
    id: o.id,
    title: o.title,
    target: "kibana",
    after: o.after,
    resource: `connector (${o.typeId})`,
    what: "our id",
    name: o.connectorId,
    find: async (ctx, id) => (await ctx.clients.kibana()).getConnector(id),
    isOurs: (ctx, c) => connectorIsOurs(c, ctx.names.prefix),
    marker: (ctx) => connectorMarker(ctx.names.prefix),
    remove: async (ctx, id) => (await ctx.clients.kibana()).deleteConnector(id),
  });
}

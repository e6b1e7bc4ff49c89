/**
 * Ownership is proven by a marker we wrote, never assumed from a name. An object with our deterministic name but
 * without our marker belongs to someone else: setup plans it as a conflict (never updates or adopts it unless
 * `--adopt NAME` names it), teardown leaves it alone and says so.
 *
 * The markers, per object type (each one a place the remote keeps as written and nobody sets by chance):
 * - Kibana connectors: the header `X-Sentinel-Elastic-Instance: <prefix>` in `config.headers` (a free
 *   string→string record on both `.webhook` and `.cases-webhook`, returned by GET /api/actions/connector/{id};
 *   sent only to our own Logic Apps, which ignore it).
 * - Kibana detection rule: the tag `sentinel-elastic-instance:<prefix>`.
 * - Kibana case settings: ours only while their default connector is one of our marked connectors.
 * - Azure resources that take tags: `managed-by: sentinel-elastic` and `sentinel-elastic-instance: <prefix>`.
 * - Azure role assignments: created by our deployments (deterministic GUID names) with our description.
 * - Entra ID app registrations (Graph `application.tags`, free strings): `managed-by:sentinel-elastic` and
 *   `sentinel-elastic-instance:<prefix>`, and our marker in `notes` for people reading the portal.
 */
import type { SharedState } from "../engine/shared-state.js";
import type { Change } from "../engine/types.js";
import { INSTANCE_TAG, MANAGED_BY } from "../names.js";

export const INSTANCE_HEADER = "X-Sentinel-Elastic-Instance";
export const RULE_INSTANCE_TAG_PREFIX = "sentinel-elastic-instance:";
export const MANAGED_BY_TAG = "managed-by";
/** The Azure tags (names.ts holds their values, one definition for every side). */
export { INSTANCE_TAG, MANAGED_BY };

export const ruleInstanceTag = (prefix: string) => `${RULE_INSTANCE_TAG_PREFIX}${prefix}`;

type Headers = Record<string, unknown> | null | undefined;

/** The instance a connector's config says it belongs to (our header), if any. */
export function connectorInstance(config: Record<string, unknown> | undefined): string | undefined {
  const headers = config?.headers as Headers;
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === INSTANCE_HEADER.toLowerCase());
  const v = key ? headers[key] : undefined;
  return typeof v === "string" && v ? v : undefined;
}

export const connectorIsOurs = (c: { config?: Record<string, unknown> } | undefined, prefix: string) =>
  Boolean(c) && connectorInstance(c!.config) === prefix;

/** `config` with our instance header set (other headers untouched). */
export function withInstanceHeader(config: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const headers = { ...((config.headers as Record<string, string> | null | undefined) ?? {}) };
  for (const k of Object.keys(headers)) if (k.toLowerCase() === INSTANCE_HEADER.toLowerCase()) delete headers[k];
  headers[INSTANCE_HEADER] = prefix;
  return { ...config, headers };
}

export function ruleInstance(rule: { tags?: unknown } | undefined): string | undefined {
  const tags = Array.isArray(rule?.tags) ? (rule!.tags as unknown[]) : [];
  const t = tags.find((x) => typeof x === "string" && x.startsWith(RULE_INSTANCE_TAG_PREFIX)) as string | undefined;
  return t?.slice(RULE_INSTANCE_TAG_PREFIX.length) || undefined;
}

export const ruleIsOurs = (rule: { tags?: unknown } | undefined, prefix: string) =>
  Boolean(rule) && ruleInstance(rule) === prefix;

export function tagsAreOurs(tags: Record<string, string> | undefined | null, prefix: string): boolean {
  return tags?.[MANAGED_BY_TAG] === MANAGED_BY && tags?.[INSTANCE_TAG] === prefix;
}

/** Whether an app registration carries our tags (names.ts `azure.alertApp.tags`). */
export function appIsOurs(app: { tags?: string[] | null } | undefined, prefix: string): boolean {
  const tags = app?.tags ?? [];
  return tags.includes(`managed-by:${MANAGED_BY}`) && tags.includes(`${INSTANCE_TAG}:${prefix}`);
}

/** The names given with --adopt for this run. */
export function adoptedNames(shared: Pick<SharedState, "adopt">): string[] {
  return shared.adopt ?? [];
}

export const isAdopted = (shared: Pick<SharedState, "adopt">, name: string) =>
  adoptedNames(shared).some((n) => n.toLowerCase() === name.toLowerCase());

/**
 * How setup treats an existing object with our name: ours (marker present) → manage it; adopted (no marker,
 * but --adopt names it) → take it over, destructively; else a conflict.
 */
export type Ownership = "absent" | "ours" | "adopt" | "conflict";

export function ownershipOf(
  exists: boolean,
  ours: boolean,
  shared: Pick<SharedState, "adopt">,
  name: string,
): Ownership {
  if (!exists) return "absent";
  if (ours) return "ours";
  return isAdopted(shared, name) ? "adopt" : "conflict";
}

/** The plan row for an object with our name that is not ours. */
export function conflictChange<P = never>(base: Omit<Change<P>, "action" | "reason">, what: string): Change<P> {
  return {
    ...base,
    action: "conflict",
    reason: `${what} has our name but not our marker: someone else's, left alone (--adopt ${base.name} takes it over)`,
  };
}

/** The reason of an adopted object's row (it is destructive: it overwrites someone else's object). */
export const adoptReason = (what: string) =>
  `${what} has our name but not our marker: --adopt given, it is overwritten and marked ours`;

/**
 * ARM resource id helpers. Azure compares resource ids case-insensitively (resource names and types are
 * case-insensitive in ARM: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules),
 * so the sandbox keys every store by the lower-cased id and keeps the caller's casing in the stored JSON.
 */

export interface ParsedId {
  subscriptionId?: string;
  resourceGroup?: string;
  /** Provider namespace of the last resource, e.g. `Microsoft.SecurityInsights`. */
  namespace?: string;
  /** Full type of the last resource, e.g. `Microsoft.OperationalInsights/workspaces/tables`. */
  type?: string;
  /** Name of the last resource (its last name segment). */
  name?: string;
  /** For an extension resource (`…/providers/NS/type/name` after another resource), the id it extends. */
  parentScope?: string;
}

/** Lower-cased id without a trailing slash: the key of every store. */
export function idKey(id: string): string {
  return id.replace(/\/+$/, "").toLowerCase();
}

/** True when `scope` is `target` or an ancestor of it (segment boundary, case-insensitive). */
export function scopeContains(scope: string, target: string): boolean {
  const s = idKey(scope);
  const t = idKey(target);
  if (s === "" || s === "/") return true;
  return t === s || t.startsWith(`${s}/`);
}

export function subscriptionId(sub: string): string {
  return `/subscriptions/${sub}`;
}

export function resourceGroupId(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}`;
}

/**
 * Parse an ARM id. Handles nested types (`workspaces/ws/tables/t`) and extension resources
 * (`<scope>/providers/Microsoft.SecurityInsights/incidents/x`).
 */
export function parseId(id: string): ParsedId {
  const segs = id.split("/").filter(Boolean);
  const out: ParsedId = {};
  let i = 0;
  if (segs[i]?.toLowerCase() === "subscriptions") {
    out.subscriptionId = segs[i + 1];
    i += 2;
  }
  if (segs[i]?.toLowerCase() === "resourcegroups") {
    out.resourceGroup = segs[i + 1];
    i += 2;
  }
  // The last `providers` segment starts the resource this id names.
  let lastProviders = -1;
  for (let j = i; j < segs.length; j++) if (segs[j]!.toLowerCase() === "providers") lastProviders = j;
  if (lastProviders < 0) {
    if (out.resourceGroup) {
      out.type = "Microsoft.Resources/resourceGroups";
      out.name = out.resourceGroup;
    } else if (out.subscriptionId) {
      out.type = "Microsoft.Resources/subscriptions";
      out.name = out.subscriptionId;
    }
    return out;
  }
  const ns = segs[lastProviders + 1];
  const rest = segs.slice(lastProviders + 2);
  out.namespace = ns;
  const types: string[] = [];
  for (let k = 0; k < rest.length; k += 2) types.push(rest[k]!);
  out.type = [ns, ...types].join("/");
  out.name = rest.length % 2 === 0 ? rest[rest.length - 1] : undefined;
  if (lastProviders > i) out.parentScope = `/${segs.slice(0, lastProviders).join("/")}`;
  return out;
}

/** The id of the parent resource of a nested resource (`…/workspaces/ws/tables/t` → `…/workspaces/ws`). */
export function parentId(id: string): string | undefined {
  const segs = id.split("/").filter(Boolean);
  const p = segs.map((s) => s.toLowerCase()).lastIndexOf("providers");
  if (p < 0 || segs.length - p <= 4) return undefined;
  return `/${segs.slice(0, segs.length - 2).join("/")}`;
}

/** Build `<scope>/providers/<type segments interleaved with names>`. */
export function buildResourceId(scope: string, type: string, names: string[]): string {
  const [ns, ...types] = type.split("/");
  if (types.length !== names.length)
    throw new Error(`resource type '${type}' needs ${types.length} name segment(s), got ${names.length}`);
  const parts = types.map((t, k) => `${t}/${names[k]}`).join("/");
  return `${scope.replace(/\/+$/, "")}/providers/${ns}/${parts}`;
}

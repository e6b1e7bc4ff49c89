/**
 * Kibana's two template renderers, written from its source for the tests (independent of the sandbox's
 * copy, so each checks the other): ACT/server/lib/mustache_renderer.ts and the cases-webhook service.
 */
import Mustache from "mustache";

type Vars = Record<string, unknown>;

/** `.cases-webhook`: `stringifyObjValues` puts every case value through JSON.stringify (utils.ts), then plain Mustache (HTML escape). */
export function renderCaseJson(
  template: string,
  incident: {
    title: string;
    description?: string | null;
    tags?: string[] | null;
    id?: string | null;
    severity?: string | null;
    status?: string | null;
  },
  externalId?: string,
  comment?: string,
): string {
  const c: Vars = {
    title: incident.title,
    description: incident.description ?? "",
    tags: incident.tags ?? [],
    id: incident.id ?? "",
    severity: incident.severity ?? "",
    status: incident.status ?? "",
    ...(comment !== undefined ? { comment } : {}),
  };
  const stringified = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, JSON.stringify(v)]));
  return Mustache.render(template, {
    case: stringified,
    ...(externalId !== undefined ? { external: { system: { id: JSON.stringify(externalId) } } } : {}),
  });
}

/** URLs: external.system.id (and title) are `encodeURIComponent`-ed (service.ts). */
export function renderCaseUrl(template: string, externalId: string, title = ""): string {
  return Mustache.render(template, {
    external: { system: { id: encodeURIComponent(externalId), title: encodeURIComponent(title) } },
  });
}

function expandDots(vars: Vars): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(vars)) {
    const value =
      v && typeof v === "object" && !Array.isArray(v)
        ? expandDots(v as Vars)
        : Array.isArray(v)
          ? v.map((x) => (x && typeof x === "object" ? expandDots(x as Vars) : x))
          : v;
    if (!k.includes(".")) {
      out[k] = value;
      continue;
    }
    out[k] = value;
    const parts = k.split(".");
    let cur = out;
    for (const p of parts.slice(0, -1)) {
      cur[p] = cur[p] && typeof cur[p] === "object" ? cur[p] : {};
      cur = cur[p] as Vars;
    }
    cur[parts.at(-1)!] = value;
  }
  return out;
}

function augment(value: unknown): void {
  if (Array.isArray(value)) {
    Object.defineProperty(value, "asJSON", { value: () => JSON.stringify(value), enumerable: false });
    value.forEach(augment);
  } else if (value && typeof value === "object") {
    Object.defineProperty(value, "toString", { value: () => JSON.stringify(value), enumerable: false });
    Object.values(value).forEach(augment);
  }
}

/** Rule actions: `renderMustacheString(…, 'json')` — `{{x}}` JSON-escaped without quotes, `{{{x}}}` raw. */
export function renderActionJson(template: string, variables: Vars): string {
  const vars = expandDots(JSON.parse(JSON.stringify(variables)) as Vars);
  augment(vars);
  const previous = Mustache.escape;
  Mustache.escape = (v: unknown) => (v == null ? "" : JSON.stringify(`${v}`).slice(1, -1));
  try {
    return Mustache.render(template, vars);
  } finally {
    Mustache.escape = previous;
  }
}

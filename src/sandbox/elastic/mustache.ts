/**
 * The two Mustache renderers Kibana uses (ACT/server/lib/mustache_renderer.ts):
 *
 * - `renderNoEscape` = `renderMustacheStringNoEscape`: plain `Mustache.render` with Mustache's DEFAULT
 *   escape, which is HTML. Despite its name, `{{x}}` HTML-escapes (`"` → `&quot;`); only `{{{x}}}` is raw.
 *   Used by `.cases-webhook` (service.ts), whose variables are pre-stringified by the caller.
 * - `renderJson` = `renderMustacheString(…, 'json')`, used for `.webhook` bodies in rule actions:
 *   variables are cloned, dotted keys expanded, objects get a JSON `toString`, arrays an `asJSON()`, and
 *   `{{x}}` is JSON-string-escaped without the surrounding quotes.
 *
 * On a render error Kibana returns the text `error rendering mustache template "<t>": <msg>` rather than
 * throwing; so do we.
 */
import Mustache from "mustache";

type Vars = Record<string, unknown>;

export function renderNoEscape(template: string, variables: Vars): string {
  try {
    return Mustache.render(`${template}`, variables);
  } catch (err) {
    return `error rendering mustache template "${template}": ${(err as Error).message}`;
  }
}

function escapeJson(value: unknown): string {
  if (value == null) return "";
  const quoted = JSON.stringify(`${value}`);
  return quoted.slice(1, -1);
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function mergeDeep(target: Vars, source: Vars): void {
  for (const [k, v] of Object.entries(source)) {
    if (isPlain(v) && isPlain(target[k])) mergeDeep(target[k] as Vars, v);
    else target[k] = v;
  }
}

/** "a.b": 1 → also {a:{b:1}} (convertDotVariables), recursively. */
function convertDots(vars: Vars): void {
  for (const key of Object.keys(vars)) {
    if (key.includes(".")) {
      const parts = key.split(".");
      const built: Vars = {};
      let cur = built;
      parts.forEach((p, i) => {
        cur[p] = i === parts.length - 1 ? vars[key] : {};
        cur = cur[p] as Vars;
      });
      mergeDeep(vars, built);
    }
    const v = vars[key];
    if (typeof v === "object" && v !== null) convertDots(v as Vars);
  }
}

/** objects: toString() → JSON; arrays: asJSON() → JSON (addToStringDeep). */
function addToStringDeep(value: unknown): void {
  if (isPlain(value)) {
    if (!Object.hasOwn(value, "toString"))
      Object.defineProperty(value, "toString", { value: () => JSON.stringify(value), enumerable: false });
    for (const v of Object.values(value)) addToStringDeep(v);
  }
  if (Array.isArray(value)) {
    // An array reachable twice (dotted keys expanded next to their nested form) is augmented once; Kibana
    // assigns the helper, which never fails, so neither may we.
    if (!Object.hasOwn(value, "asJSON"))
      Object.defineProperty(value, "asJSON", { value: () => JSON.stringify(value), enumerable: false });
    for (const el of value) addToStringDeep(el);
  }
}

export function augmentVariables(variables: Vars): Vars {
  const result = JSON.parse(JSON.stringify(variables)) as Vars;
  convertDots(result);
  addToStringDeep(result);
  return result;
}

export function renderJson(template: string, variables: Vars): string {
  const augmented = augmentVariables(variables);
  try {
    return Mustache.render(`${template}`, augmented, undefined, { escape: escapeJson });
  } catch (err) {
    return `error rendering mustache template "${template}": ${(err as Error).message}`;
  }
}

/**
 * Value helpers shared by the expression evaluator and the functions: Logic Apps type names (as they appear in
 * its error messages), string conversion for `@{…}` interpolation and `string()`, deep equality, and property
 * selection with Logic Apps' error wording (learn.microsoft.com/azure/logic-apps/logic-apps-workflow-definition-language).
 */

/** An expression evaluation error; the action wraps it into `InvalidTemplate`. */
export class TemplateError extends Error {}

export const DOCS = "Please see https://aka.ms/logicexpressions for usage details.";

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "Null";
  if (typeof v === "string") return "String";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "Integer" : "Float";
  if (Array.isArray(v)) return "Array";
  return "Object";
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * String form of a value, as `@{…}` and `string()` produce it: strings as-is, null as empty, booleans as .NET
 * prints them ("True"/"False"), objects and arrays as compact JSON.
 */
export function stringify(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Find a property: exact name first, then case-insensitively. Logic Apps resolves JSON property names without
 * regard to case (the blog's get-incident workflow reads `triggerOutputs()['Queries']` and works) — recorded as
 * an unconfirmed fact in the runtime's report.
 */
export function findProperty(obj: Record<string, unknown>, key: string): { found: boolean; value?: unknown } {
  if (Object.hasOwn(obj, key)) return { found: true, value: obj[key] };
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return { found: true, value: obj[k] };
  return { found: false };
}

/** Select `key` from `target` as the `[…]`/`.` indexers do; `safe` is the `?` operator. */
export function selectProperty(target: unknown, key: unknown, safe: boolean, exprText: string): unknown {
  const fail = (why: string): never => {
    throw new TemplateError(
      `The template language expression '${exprText}' cannot be evaluated because ${why}. ${DOCS}`,
    );
  };
  if (target === null || target === undefined) {
    if (safe) return null;
    return fail(
      `property '${String(key)}' cannot be selected. Property selection is not supported on values of type 'Null'`,
    );
  }
  if (Array.isArray(target)) {
    if (typeof key !== "number" || !Number.isInteger(key)) {
      if (safe) return null;
      return fail(
        `property '${String(key)}' cannot be selected. Array elements can only be selected using an integer index`,
      );
    }
    if (key < 0 || key >= target.length) {
      if (safe) return null;
      return fail(`array index '${key}' is outside bounds (0, ${target.length - 1}) of array`);
    }
    return target[key];
  }
  if (isObject(target)) {
    const name = String(key);
    const hit = findProperty(target, name);
    if (hit.found) return hit.value ?? null;
    if (safe) return null;
    return fail(`property '${name}' doesn't exist, available properties are '${Object.keys(target).join(", ")}'`);
  }
  if (safe) return null;
  return fail(
    `property '${String(key)}' cannot be selected. Property selection is not supported on values of type '${typeName(target)}'`,
  );
}

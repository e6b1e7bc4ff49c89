/**
 * ARM template functions the sandbox evaluates
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions). Names are
 * case-insensitive. A function not in this table fails the deployment with InvalidTemplate naming it.
 */
import { type Expr, isExpression, parseExpression, TemplateError, unescapeLiteral } from "./expression.js";
import { armGuid, uniqueString } from "./hash.js";

/** Thrown in what-if when a value depends on a resource that does not exist yet. */
export class Unresolvable extends Error {}

export interface EvalScope {
  subscriptionId: string;
  tenantId: string;
  resourceGroup?: { id: string; name: string; location: string; tags?: Record<string, string>; type: string };
  deployment: { name: string; properties: Record<string, unknown> };
  environment: Record<string, unknown>;
  parameter(name: string): unknown;
  variable(name: string): unknown;
  /** `reference(idOrName, apiVersion?, 'Full'?)`. */
  reference(idOrName: string, apiVersion: string | undefined, full: boolean): unknown;
  /** `list*(id, apiVersion)` actions (listCallbackUrl…). */
  list(action: string, id: string, apiVersion: string): unknown;
  copyIndex(loop: string | undefined): number;
  /** True while evaluating outputs (list* functions are refused there). */
  inOutputs?: boolean;
}

type Fn = (args: unknown[], scope: EvalScope) => unknown;

const str = (v: unknown, fn: string): string => {
  if (typeof v !== "string") throw new TemplateError(`The template function '${fn}' expects a string argument.`);
  return v;
};
const toStr = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function splitResourceIdArgs(args: unknown[], fn: string): { before: string[]; type: string; names: string[] } {
  const idx = args.findIndex((a) => typeof a === "string" && a.includes("/"));
  if (idx < 0) throw new TemplateError(`The template function '${fn}' needs a resource type ('Namespace/type').`);
  const type = args[idx] as string;
  const names = args.slice(idx + 1).map((a) => str(a, fn));
  const expected = type.split("/").length - 1;
  if (names.length !== expected)
    throw new TemplateError(
      `Unable to evaluate template language function '${fn}': the type '${type}' requires '${expected}' resource name argument(s).`,
    );
  return { before: args.slice(0, idx).map((a) => str(a, fn)), type, names };
}

function typedPath(type: string, names: string[]): string {
  const [ns, ...types] = type.split("/");
  return `providers/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join("/")}`;
}

const fns: Record<string, Fn> = {
  parameters: (a, s) => s.parameter(str(a[0], "parameters")),
  variables: (a, s) => s.variable(str(a[0], "variables")),
  concat: (a) =>
    a.length > 0 && a.every(Array.isArray)
      ? (a as unknown[][]).flat()
      : a.map((x) => (x == null ? "" : toStr(x))).join(""),
  format: (a) =>
    str(a[0], "format").replace(/\{(\d+)(:[^}]*)?\}/g, (_m, n) => {
      const v = a[Number(n) + 1];
      return v === undefined ? "" : toStr(v);
    }),
  resourceid: (a, s) => {
    const { before, type, names } = splitResourceIdArgs(a, "resourceId");
    const sub = before.length === 2 ? before[0]! : s.subscriptionId;
    const rg = before.length >= 1 ? before[before.length - 1]! : s.resourceGroup?.name;
    if (!rg)
      throw new TemplateError("The template function 'resourceId' needs a resource group at subscription scope.");
    return `/subscriptions/${sub}/resourceGroups/${rg}/${typedPath(type, names)}`;
  },
  subscriptionresourceid: (a, s) => {
    const { before, type, names } = splitResourceIdArgs(a, "subscriptionResourceId");
    return `/subscriptions/${before[0] ?? s.subscriptionId}/${typedPath(type, names)}`;
  },
  tenantresourceid: (a) => {
    const { type, names } = splitResourceIdArgs(a, "tenantResourceId");
    return `/${typedPath(type, names)}`;
  },
  extensionresourceid: (a) => {
    const base = str(a[0], "extensionResourceId");
    const { type, names } = splitResourceIdArgs(a.slice(1), "extensionResourceId");
    return `${base.replace(/\/+$/, "")}/${typedPath(type, names)}`;
  },
  resourcegroup: (_a, s) => {
    if (!s.resourceGroup)
      throw new TemplateError(
        "The template function 'resourceGroup' is not expected at this location (subscription scope).",
      );
    return { ...s.resourceGroup, properties: { provisioningState: "Succeeded" } };
  },
  subscription: (_a, s) => ({
    id: `/subscriptions/${s.subscriptionId}`,
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: "Sandbox subscription",
  }),
  tenant: (_a, s) => ({ tenantId: s.tenantId, id: `/tenants/${s.tenantId}` }),
  deployment: (_a, s) => s.deployment,
  environment: (_a, s) => s.environment,
  guid: (a) => armGuid(a.map((x) => str(x, "guid"))),
  uniquestring: (a) => uniqueString(a.map((x) => str(x, "uniqueString"))),
  reference: (a, s) =>
    s.reference(
      str(a[0], "reference"),
      a[1] === undefined ? undefined : str(a[1], "reference"),
      String(a[2] ?? "").toLowerCase() === "full",
    ),
  tolower: (a) => str(a[0], "toLower").toLowerCase(),
  toupper: (a) => str(a[0], "toUpper").toUpperCase(),
  if: (a) => (a[0] ? a[1] : a[2]),
  union: (a) => {
    if (a.every(Array.isArray))
      return [...new Set((a as unknown[][]).flat().map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x));
    const out: Record<string, unknown> = {};
    for (const o of a) if (isObj(o)) Object.assign(out, o);
    return out;
  },
  createobject: (a) => {
    if (a.length % 2)
      throw new TemplateError("The template function 'createObject' expects an even number of arguments.");
    const out: Record<string, unknown> = {};
    for (let i = 0; i < a.length; i += 2) out[str(a[i], "createObject")] = a[i + 1];
    return out;
  },
  createarray: (a) => [...a],
  array: (a) => (Array.isArray(a[0]) ? a[0] : [a[0]]),
  json: (a) => {
    try {
      return JSON.parse(str(a[0], "json"));
    } catch {
      throw new TemplateError(`The template function 'json' could not parse '${a[0]}'.`);
    }
  },
  string: (a) => toStr(a[0]),
  int: (a) => {
    const n = typeof a[0] === "number" ? a[0] : Number.parseInt(String(a[0]), 10);
    if (Number.isNaN(n)) throw new TemplateError(`The template function 'int' could not convert '${a[0]}'.`);
    return Math.trunc(n);
  },
  bool: (a) => (typeof a[0] === "string" ? a[0].toLowerCase() === "true" : Boolean(a[0])),
  empty: (a) =>
    a[0] == null ||
    a[0] === "" ||
    (Array.isArray(a[0]) && a[0].length === 0) ||
    (isObj(a[0]) && Object.keys(a[0]).length === 0),
  equals: (a) => deepEqual(a[0], a[1]),
  not: (a) => !a[0],
  and: (a) => a.every(Boolean),
  or: (a) => a.some(Boolean),
  contains: (a) => {
    const [c, v] = a;
    if (typeof c === "string") return c.toLowerCase().includes(String(v).toLowerCase());
    if (Array.isArray(c)) return c.some((x) => deepEqual(x, v));
    if (isObj(c)) return Object.keys(c).some((k) => k.toLowerCase() === String(v).toLowerCase());
    return false;
  },
  length: (a) => {
    const v = a[0];
    if (typeof v === "string" || Array.isArray(v)) return v.length;
    if (isObj(v)) return Object.keys(v).length;
    throw new TemplateError("The template function 'length' expects a string, array or object.");
  },
  replace: (a) => str(a[0], "replace").split(str(a[1], "replace")).join(str(a[2], "replace")),
  split: (a) => {
    const s = str(a[0], "split");
    const d = a[1];
    const delims = Array.isArray(d) ? d.map(String) : [str(d, "split")];
    return s.split(new RegExp(delims.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")));
  },
  last: (a) => (typeof a[0] === "string" ? a[0].slice(-1) : (a[0] as unknown[]).at(-1)),
  first: (a) => (typeof a[0] === "string" ? a[0].slice(0, 1) : (a[0] as unknown[])[0]),
  take: (a) => (a[0] as string | unknown[]).slice(0, Math.max(0, Number(a[1]))),
  skip: (a) => (a[0] as string | unknown[]).slice(Math.max(0, Number(a[1]))),
  uri: (a) => new URL(str(a[1], "uri"), str(a[0], "uri")).toString(),
  uricomponent: (a) => encodeURIComponent(str(a[0], "uriComponent")),
  base64: (a) => Buffer.from(str(a[0], "base64"), "utf8").toString("base64"),
  base64tostring: (a) => Buffer.from(str(a[0], "base64ToString"), "base64").toString("utf8"),
  coalesce: (a) => a.find((x) => x != null) ?? null,
  startswith: (a) => str(a[0], "startsWith").toLowerCase().startsWith(str(a[1], "startsWith").toLowerCase()),
  endswith: (a) => str(a[0], "endsWith").toLowerCase().endsWith(str(a[1], "endsWith").toLowerCase()),
  trim: (a) => str(a[0], "trim").trim(),
  substring: (a) => str(a[0], "substring").substr(Number(a[1] ?? 0), a[2] === undefined ? undefined : Number(a[2])),
  indexof: (a) => str(a[0], "indexOf").toLowerCase().indexOf(str(a[1], "indexOf").toLowerCase()),
  add: (a) => Number(a[0]) + Number(a[1]),
  sub: (a) => Number(a[0]) - Number(a[1]),
  mul: (a) => Number(a[0]) * Number(a[1]),
  greater: (a) => (a[0] as number) > (a[1] as number),
  less: (a) => (a[0] as number) < (a[1] as number),
  greaterorequals: (a) => (a[0] as number) >= (a[1] as number),
  lessorequals: (a) => (a[0] as number) <= (a[1] as number),
  copyindex: (a, s) => {
    const loop = typeof a[0] === "string" ? a[0] : undefined;
    const offset = typeof a[0] === "number" ? a[0] : Number(a[1] ?? 0);
    return s.copyIndex(loop) + offset;
  },
  listcallbackurl: (a, s) => {
    // Deployment history keeps outputs: a callback URL (a bearer secret) must not land there (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app).
    if (s.inOutputs)
      throw new TemplateError(
        "The template function 'listCallbackUrl' is not allowed in outputs by the sandbox: outputs are kept in deployment history and the callback URL is a secret. Call listCallbackUrl at run time.",
      );
    return s.list("listCallbackUrl", str(a[0], "listCallbackUrl"), str(a[1], "listCallbackUrl"));
  },
};

export const SUPPORTED_FUNCTIONS = new Set(Object.keys(fns));

export function checkFunctions(names: Iterable<string>): string | undefined {
  for (const n of names) if (!SUPPORTED_FUNCTIONS.has(n.toLowerCase())) return n;
  return undefined;
}

function evalExpr(e: Expr, scope: EvalScope): unknown {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "call": {
      const fn = fns[e.name.toLowerCase()];
      if (!fn)
        throw new TemplateError(
          `The template function '${e.name}' is not valid (not supported by the sandbox). Please see https://aka.ms/arm-functions for usage details.`,
        );
      if (e.name.toLowerCase() === "if") {
        const cond = evalExpr(e.args[0]!, scope);
        return evalExpr(cond ? e.args[1]! : e.args[2]!, scope);
      }
      return fn(
        e.args.map((a) => evalExpr(a, scope)),
        scope,
      );
    }
    case "prop": {
      const t = evalExpr(e.target, scope);
      if (!isObj(t))
        throw new TemplateError(
          `The language expression property '${e.name}' can't be evaluated: the target is not an object.`,
        );
      const key = Object.keys(t).find((k) => k.toLowerCase() === e.name.toLowerCase());
      if (key === undefined)
        throw new TemplateError(
          `The language expression property '${e.name}' doesn't exist, available properties are '${Object.keys(t).join(", ")}'.`,
        );
      return t[key];
    }
    case "index": {
      const t = evalExpr(e.target, scope);
      const i = evalExpr(e.index, scope);
      if (Array.isArray(t)) {
        if (typeof i !== "number" || i < 0 || i >= t.length)
          throw new TemplateError(`The language expression index '${String(i)}' is out of range.`);
        return t[i];
      }
      if (isObj(t)) {
        const key = Object.keys(t).find((k) => k.toLowerCase() === String(i).toLowerCase());
        if (key === undefined)
          throw new TemplateError(`The language expression property '${String(i)}' doesn't exist.`);
        return t[key];
      }
      throw new TemplateError("The language expression index can't be applied to this value.");
    }
  }
}

const cache = new Map<string, Expr>();

/** Evaluate one JSON string: an expression, an escaped literal, or plain text. */
export function evaluateString(s: string, scope: EvalScope): unknown {
  if (!isExpression(s)) return unescapeLiteral(s);
  let e = cache.get(s);
  if (!e) {
    e = parseExpression(s);
    cache.set(s, e);
  }
  return evalExpr(e, scope);
}

/** Evaluate every expression string in a JSON value (object keys are not expressions). */
export function evaluateValue(v: unknown, scope: EvalScope, lenient = false): unknown {
  if (typeof v === "string") {
    if (!lenient) return evaluateString(v, scope);
    try {
      return evaluateString(v, scope);
    } catch (e) {
      if (e instanceof Unresolvable) return v;
      throw e;
    }
  }
  if (Array.isArray(v)) return v.map((x) => evaluateValue(x, scope, lenient));
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = evaluateValue(x, scope, lenient);
    return out;
  }
  return v;
}

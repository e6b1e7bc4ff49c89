/**
 * A small stand-in for @kbn/config-schema: the same rules (unknown keys forbidden by default, defaults
 * applied, `nullable` = value or null) and the same error text, e.g.
 * `[method]: types that failed validation:\n- [method.0]: expected value to equal [post]…` and
 * `[foo]: definition for this key is missing` (packages/kbn-config-schema/src/types/*.ts).
 */
export type S =
  | { t: "string" }
  | { t: "boolean" }
  | { t: "number"; min?: number; max?: number }
  | { t: "literal"; v: string | number | boolean | null }
  | { t: "oneOf"; of: S[] }
  | { t: "object"; props: Record<string, Prop>; unknowns?: "forbid" | "allow" }
  | { t: "record"; value: S }
  | { t: "array"; item: S }
  | { t: "any" };

export interface Prop {
  s: S;
  /** Optional (schema.maybe): undefined is allowed and left out. */
  optional?: boolean;
  default?: unknown;
}

export class SchemaError extends Error {}

export const str: S = { t: "string" };
export const bool: S = { t: "boolean" };
export const any: S = { t: "any" };
export const num = (min?: number, max?: number): S => ({ t: "number", min, max });
export const lit = (v: string | number | boolean | null): S => ({ t: "literal", v });
export const oneOfLit = (...vs: (string | null)[]): S => ({ t: "oneOf", of: vs.map(lit) });
export const nullable = (s: S): S => ({ t: "oneOf", of: [s, lit(null)] });
export const record = (value: S): S => ({ t: "record", value });
export const array = (item: S): S => ({ t: "array", item });
export const obj = (props: Record<string, Prop | S>, unknowns: "forbid" | "allow" = "forbid"): S => ({
  t: "object",
  props: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, "t" in v ? { s: v } : v])),
  unknowns,
});
export const req = (s: S): Prop => ({ s });
export const opt = (s: S): Prop => ({ s, optional: true });
export const def = (s: S, value: unknown): Prop => ({ s, default: value });

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "Array";
  return typeof v === "object" ? "Object" : typeof v;
}

const at = (path: string[]) => (path.length ? `[${path.join(".")}]: ` : "");

export function validate(s: S, value: unknown, path: string[] = []): unknown {
  switch (s.t) {
    case "any":
      return value;
    case "string":
    case "boolean":
      if (typeof value !== s.t)
        throw new SchemaError(`${at(path)}expected value of type [${s.t}] but got [${typeName(value)}]`);
      return value;
    case "number": {
      if (typeof value !== "number" || Number.isNaN(value))
        throw new SchemaError(`${at(path)}expected value of type [number] but got [${typeName(value)}]`);
      if (s.min !== undefined && value < s.min)
        throw new SchemaError(`${at(path)}Value must be equal to or greater than [${s.min}].`);
      if (s.max !== undefined && value > s.max)
        throw new SchemaError(`${at(path)}Value must be equal to or lower than [${s.max}].`);
      return value;
    }
    case "literal":
      if (value !== s.v) throw new SchemaError(`${at(path)}expected value to equal [${s.v}]`);
      return value;
    case "oneOf": {
      const errors: string[] = [];
      for (let i = 0; i < s.of.length; i++) {
        try {
          return validate(s.of[i]!, value, [...path, String(i)]);
        } catch (e) {
          errors.push(`- ${(e as Error).message}`);
        }
      }
      throw new SchemaError(`${at(path)}types that failed validation:\n${errors.join("\n")}`);
    }
    case "array":
      if (!Array.isArray(value))
        throw new SchemaError(`${at(path)}expected value of type [array] but got [${typeName(value)}]`);
      return value.map((v, i) => validate(s.item, v, [...path, String(i)]));
    case "record": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new SchemaError(`${at(path)}expected value of type [object] but got [${typeName(value)}]`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = validate(s.value, v, [...path, k]);
      return out;
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new SchemaError(`${at(path)}expected a plain object value, but found [${typeName(value)}] instead.`);
      const input = value as Record<string, unknown>;
      if (s.unknowns !== "allow")
        for (const k of Object.keys(input))
          if (!(k in s.props)) throw new SchemaError(`[${[...path, k].join(".")}]: definition for this key is missing`);
      const out: Record<string, unknown> = s.unknowns === "allow" ? { ...input } : {};
      for (const [k, p] of Object.entries(s.props)) {
        const v = input[k];
        if (v === undefined) {
          if (p.default !== undefined) out[k] = p.default;
          else if (p.optional) continue;
          else if (p.s.t === "oneOf" && p.s.of.some((o) => o.t === "literal" && o.v === null)) out[k] = null;
          else validate(p.s, v, [...path, k]);
          continue;
        }
        out[k] = validate(p.s, v, [...path, k]);
      }
      return out;
    }
  }
}

/** Route validation wraps schema errors as `[request body.<path>]: …` (@kbn/core-http-router-server). */
export function requestBodyMessage(message: string): string {
  return message.startsWith("[") ? `[request body.${message.slice(1)}` : `[request body]: ${message}`;
}

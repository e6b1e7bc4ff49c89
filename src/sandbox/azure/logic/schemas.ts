/** JSON Schema validation (Request trigger, ParseJson) with compiled validators cached by schema text. */
import { Ajv, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: false, strict: false });
const cache = new Map<string, ValidateFunction>();

export function schemaValidator(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile(schema);
    cache.set(key, v);
  }
  return v;
}

/**
 * The first schema error in the wording of Json.NET Schema, which Logic Apps reports, e.g.
 * "Required properties are missing from object: Location." / "Invalid type. Expected String but got Integer."
 */
export function describeSchemaError(v: ValidateFunction, data: unknown): string {
  const e = v.errors?.[0];
  if (!e) return "The value does not match the schema.";
  const path = e.instancePath
    .split("/")
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
  const at = path ? ` Path '${path}'.` : "";
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const jsonType = (x: unknown): string =>
    x === null
      ? "Null"
      : Array.isArray(x)
        ? "Array"
        : typeof x === "number"
          ? Number.isInteger(x)
            ? "Integer"
            : "Float"
          : cap(typeof x);
  switch (e.keyword) {
    case "required":
      return `Required properties are missing from object: ${(e.params as { missingProperty: string }).missingProperty}.${at}`;
    case "type": {
      const want = String((e.params as { type: string }).type)
        .split(",")
        .map(cap)
        .join(", ");
      const value = e.instancePath
        .split("/")
        .filter(Boolean)
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], data);
      return `Invalid type. Expected ${want} but got ${jsonType(value)}.${at}`;
    }
    case "enum":
      return `Value is not defined in enum.${at}`;
    case "additionalProperties":
      return `Property '${(e.params as { additionalProperty: string }).additionalProperty}' has not been defined and the schema does not allow additional properties.${at}`;
    default:
      return `${cap(e.message ?? "Invalid value")}.${at}`;
  }
}

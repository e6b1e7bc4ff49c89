/** JSON Schema validation (Request trigger, ParseJson) with compiled validators cached by schema text. */
import { Ajv, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: false, strict: false, logger: false });
// Json.NET Schema, which Logic Apps uses, checks these formats; other format names are ignored, as there.
const FORMATS: Record<string, RegExp | ((s: string) => boolean)> = {
  "date-time": (s) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)),
  date: /^\d{4}-\d\d-\d\d$/,
  time: /^\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/i,
  email: /^[^\s@]+@[^\s@]+$/,
  ipv4: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/,
  ipv6: (s) => s.includes(":") && /^[0-9a-f:.]+$/i.test(s),
  uri: (s) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  },
};
for (const [name, check] of Object.entries(FORMATS))
  ajv.addFormat(name, check instanceof RegExp ? check : { validate: check });
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

function valueAt(pointer: string, data: unknown): unknown {
  return pointer
    .split("/")
    .filter(Boolean)
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], data);
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
      return `Invalid type. Expected ${want} but got ${jsonType(valueAt(e.instancePath, data))}.${at}`;
    }
    case "format":
      return `String '${String(valueAt(e.instancePath, data))}' does not validate against format '${(e.params as { format: string }).format}'.${at}`;
    case "enum":
      return `Value is not defined in enum.${at}`;
    case "additionalProperties":
      return `Property '${(e.params as { additionalProperty: string }).additionalProperty}' has not been defined and the schema does not allow additional properties.${at}`;
    default:
      return `${cap(e.message ?? "Invalid value")}.${at}`;
  }
}

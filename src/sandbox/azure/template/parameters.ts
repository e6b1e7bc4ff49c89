/**
 * Template parameter binding and checks, with ARM's messages
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/parameters): declared types, defaults
 * (which may be expressions), allowedValues, min/max length and value, unknown parameters refused.
 * securestring / secureObject values are never echoed: deployment GET shows only their type.
 */
import { TemplateError } from "./expression.js";

const TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  securestring: (v) => typeof v === "string",
  int: (v) => typeof v === "number" && Number.isInteger(v),
  bool: (v) => typeof v === "boolean",
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  secureobject: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
};

export interface ParameterDecl {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  metadata?: unknown;
}

export const isSecureType = (t: string) => /^secure(string|object)$/i.test(t);

/** Capitalised type name as ARM prints it (`String`, `SecureString`, `Int`…). */
export function armTypeName(t: string): string {
  const m: Record<string, string> = {
    string: "String",
    securestring: "SecureString",
    int: "Int",
    bool: "Bool",
    object: "Object",
    secureobject: "SecureObject",
    array: "Array",
  };
  return m[t.toLowerCase()] ?? t;
}

export function checkDeclarations(decls: Record<string, ParameterDecl>): void {
  for (const [name, d] of Object.entries(decls)) {
    if (!d || typeof d.type !== "string" || !TYPES[d.type.toLowerCase()])
      throw new TemplateError(
        `Deployment template validation failed: 'The template parameter '${name}' has an invalid type '${d?.type}'. The supported types are 'String, SecureString, Int, Bool, Object, SecureObject, Array'.'`,
      );
  }
}

/** The provided `{name: {value}}` map checked against the declarations (defaults are applied by the caller). */
export function checkProvided(decls: Record<string, ParameterDecl>, provided: Record<string, unknown>): void {
  const declared = Object.keys(decls);
  const unknown = Object.keys(provided).filter((p) => !declared.some((d) => d.toLowerCase() === p.toLowerCase()));
  if (unknown.length)
    throw new TemplateError(
      `Deployment template validation failed: 'The template parameters '${unknown.join(", ")}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '${declared.join(", ")}'. Please see https://aka.ms/arm-pass-parameter-values for usage details.'`,
    );
  for (const [name, p] of Object.entries(provided)) {
    if (typeof p !== "object" || p === null || !("value" in p))
      throw new TemplateError(
        `Deployment template validation failed: 'The template parameter '${name}' must be given as an object with a 'value' (Key Vault references are not supported by the sandbox).'`,
      );
  }
}

export function checkValue(name: string, d: ParameterDecl, value: unknown): void {
  const t = d.type.toLowerCase();
  if (!TYPES[t]!(value))
    throw new TemplateError(
      `Deployment template validation failed: 'Template parameter JToken type is not valid. Expected '${armTypeName(t)}'. Actual '${Array.isArray(value) ? "Array" : typeof value}'. Please see https://aka.ms/arm-create-parameter-file for usage details.' (parameter '${name}')`,
    );
  if (d.allowedValues && !d.allowedValues.some((a) => JSON.stringify(a) === JSON.stringify(value)))
    throw new TemplateError(
      `Deployment template validation failed: 'The provided value for the template parameter '${name}' is not valid. The value '${isSecureType(t) ? "***" : JSON.stringify(value)}' is not part of the allowed value(s): '${d.allowedValues.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(",")}'.'`,
    );
  const len = typeof value === "string" || Array.isArray(value) ? value.length : undefined;
  if (len !== undefined && d.minLength !== undefined && len < d.minLength)
    throw new TemplateError(
      `Deployment template validation failed: 'The provided value for the template parameter '${name}' is not valid. Length of the value should be greater than or equal to '${d.minLength}'.'`,
    );
  if (len !== undefined && d.maxLength !== undefined && len > d.maxLength)
    throw new TemplateError(
      `Deployment template validation failed: 'The provided value for the template parameter '${name}' is not valid. Length of the value should be less than or equal to '${d.maxLength}'.'`,
    );
  if (typeof value === "number" && d.minValue !== undefined && value < d.minValue)
    throw new TemplateError(
      `Deployment template validation failed: 'The provided value for the template parameter '${name}' is not valid. The value should be greater than or equal to '${d.minValue}'.'`,
    );
  if (typeof value === "number" && d.maxValue !== undefined && value > d.maxValue)
    throw new TemplateError(
      `Deployment template validation failed: 'The provided value for the template parameter '${name}' is not valid. The value should be less than or equal to '${d.maxValue}'.'`,
    );
}

/** The parameters as deployment GET shows them: secure values replaced by their type only. */
export function redactParameters(
  decls: Record<string, ParameterDecl>,
  values: Record<string, unknown>,
): Record<string, { type: string; value?: unknown }> {
  const out: Record<string, { type: string; value?: unknown }> = {};
  for (const [name, d] of Object.entries(decls)) {
    const type = armTypeName(d.type);
    out[name] = isSecureType(d.type) ? { type } : { type, value: values[name] };
  }
  return out;
}

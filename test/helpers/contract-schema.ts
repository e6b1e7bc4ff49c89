/**
 * A small validator for the schema dialects our vendored contracts use: OpenAPI 2.0 definitions (Azure REST specs),
 * OpenAPI 3 fragments (Kibana) and JSON Schema draft-04 (ARM template schemas). It checks what a request can get
 * wrong: type, enum, required, unknown members where the schema closes the object, and, in a request, members the
 * contract marks `readOnly`. Each finding names the JSON path, so a breach says where it is.
 */

export type Schema = Record<string, any>;

export interface SchemaContext {
  /** Resolves a `$ref` string to a schema, or undefined when the contract did not vendor it (then it is not checked). */
  resolve(ref: string): Schema | undefined;
  /** The value is sent in a request: `readOnly` members are breaches. */
  request: boolean;
  /**
   * An object schema that lists its members and says nothing of others is closed: a member it does not list is a
   * breach. Kibana's route schemas reject unknown keys; Azure's are read the same way so that a typo cannot pass.
   */
  closed?: boolean;
  /** JSON paths whose enum is matched without regard to case (reviewed in allow-list.json). */
  caseInsensitiveEnums?: (path: string) => boolean;
}

export interface Finding {
  path: string;
  rule: "type" | "enum" | "required" | "unknown-property" | "read-only" | "pattern";
  message: string;
}

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;

function typeMatches(expected: string, v: unknown): boolean {
  const actual = typeOf(v);
  if (expected === "number") return actual === "integer" || actual === "number";
  return expected === actual;
}

/** A member that may be null: `nullable` (OpenAPI 3), `x-nullable` (Azure), or a type list naming null. */
function nullable(s: Schema | undefined, ctx: SchemaContext): boolean {
  if (!s) return true;
  const t = typeof s.$ref === "string" ? { ...ctx.resolve(s.$ref), ...s } : s;
  if (t.nullable === true || t["x-nullable"] === true) return true;
  if (Array.isArray(t.type) && t.type.includes("null")) return true;
  if (Array.isArray(t.oneOf ?? t.anyOf)) return (t.oneOf ?? t.anyOf).some((x: Schema) => nullable(x, ctx));
  return t.type === undefined && t.$ref === undefined && t.oneOf === undefined;
}

/** `properties` given as `{ $ref }` (a Kibana fragment pattern) resolves to the referenced member map. */
function membersOf(s: Schema, ctx: SchemaContext): Record<string, Schema> | undefined {
  const p = s.properties;
  if (!p || typeof p !== "object") return undefined;
  if (typeof p.$ref === "string" && Object.keys(p).length === 1) {
    const r = ctx.resolve(p.$ref);
    return r?.properties ?? r;
  }
  return p;
}

export function validate(value: unknown, schema: Schema | undefined, ctx: SchemaContext, path = "$"): Finding[] {
  if (!schema || typeof schema !== "object") return [];
  if (typeof schema.$ref === "string") {
    const target = ctx.resolve(schema.$ref);
    // A read-only marker next to a $ref (OpenAPI 2.0 enums, e.g. IncidentLabelType) still applies.
    const own = ctx.request && schema.readOnly === true && value !== undefined;
    const found = own
      ? [{ path, rule: "read-only" as const, message: `${path} is read-only and must not be sent` }]
      : [];
    return [...found, ...validate(value, target, ctx, path)];
  }
  if (ctx.request && schema.readOnly === true && value !== undefined)
    return [{ path, rule: "read-only", message: `${path} is read-only and must not be sent` }];
  if (Array.isArray(schema.allOf)) {
    // Merge the parts into one object schema, so a closed object knows the members of every part.
    const parts = [
      { ...schema, allOf: undefined },
      ...schema.allOf.map((s: Schema) => (s.$ref ? (ctx.resolve(s.$ref) ?? {}) : s)),
    ];
    const merged: Schema = { properties: {}, required: [] };
    for (const part of parts) {
      if (part.allOf) return parts.flatMap((x: Schema) => validate(value, x, ctx, path));
      Object.assign(merged.properties, membersOf(part, ctx) ?? {});
      merged.required.push(...(part.required ?? []));
      for (const k of ["type", "enum", "additionalProperties", "readOnly"])
        if (part[k] !== undefined) merged[k] = part[k];
    }
    return validate(value, merged, ctx, path);
  }
  for (const key of ["oneOf", "anyOf"] as const) {
    if (!Array.isArray(schema[key])) continue;
    const results = schema[key].map((s: Schema) => validate(value, s, ctx, path));
    if (results.some((r: Finding[]) => r.length === 0))
      return validate(value, { ...schema, [key]: undefined }, ctx, path);
    return results.reduce((a: Finding[], b: Finding[]) => (b.length < a.length ? b : a));
  }
  if (value === null) {
    // null is "not set" for an optional member (ARM and Kibana both read it so); a nullable schema allows it anywhere.
    return [];
  }
  const findings: Finding[] = [];
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length && !types.some((t: string) => typeMatches(t, value)))
    return [{ path, rule: "type", message: `${path} is ${typeOf(value)}, the contract says ${types.join(" or ")}` }];
  if (Array.isArray(schema.enum)) {
    const ci = ctx.caseInsensitiveEnums?.(path) ?? false;
    const ok = schema.enum.some(
      (e: unknown) =>
        e === value ||
        (ci && typeof e === "string" && typeof value === "string" && e.toLowerCase() === value.toLowerCase()),
    );
    if (!ok)
      findings.push({
        path,
        rule: "enum",
        message: `${path} is ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`,
      });
  }
  if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern, "u").test(value))
    findings.push({
      path,
      rule: "pattern",
      message: `${path} ${JSON.stringify(value)} does not match ${schema.pattern}`,
    });
  if (typeOf(value) === "array" && schema.items)
    (value as unknown[]).forEach((item, i) => {
      findings.push(...validate(item, schema.items, ctx, `${path}[${i}]`));
    });
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const members = membersOf(schema, ctx) ?? {};
    for (const r of Array.isArray(schema.required) ? schema.required : [])
      if ((obj[r] === undefined || (obj[r] === null && !nullable(members[r], ctx))) && members[r]?.readOnly !== true)
        findings.push({ path: `${path}.${r}`, rule: "required", message: `${path}.${r} is required` });
    const closed =
      schema.additionalProperties === false ||
      (ctx.closed && schema.additionalProperties === undefined && Object.keys(members).length > 0);
    for (const [k, v] of Object.entries(obj)) {
      const m = members[k];
      if (m) findings.push(...validate(v, m, ctx, `${path}.${k}`));
      else if (closed)
        findings.push({
          path: `${path}.${k}`,
          rule: "unknown-property",
          message: `${path}.${k} is not in the contract`,
        });
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        findings.push(...validate(v, schema.additionalProperties, ctx, `${path}.${k}`));
    }
  }
  return findings;
}

/**
 * Validation through the zod schema, one input at a time, so that every problem names its input, says what is
 * wrong in words (not a regex), and says where to set it. Secret values are never echoed.
 */
import type { z } from "zod";
import type { InputProblem } from "../errors.js";
import { describeUrl } from "../redact.js";
import { findInput, type InputDef, whereToSet } from "./registry.js";
import { configSchema, patterns } from "./schema.js";

const patternHints: [RegExp, string][] = [
  [patterns.guid, "must be a GUID like 00000000-0000-0000-0000-000000000000"],
  [
    patterns.resourceGroup,
    "must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, and not end in a period",
  ],
  [patterns.workspace, "must be 4-63 letters, digits or hyphens, starting and ending with a letter or digit"],
  [patterns.location, "must be an Azure region name such as westeurope or eastus2 (lower case, no spaces)"],
  [
    patterns.prefix,
    "must be 3-24 lower-case letters, digits or hyphens, start with a letter and end with a letter or digit",
  ],
  [patterns.space, "must be a Kibana space id: lower-case letters, digits, underscores and hyphens"],
  [patterns.duration, "must be a duration such as 30s, 5m, 1h or 1d"],
  [
    patterns.ruleInterval,
    "must be a duration in seconds, minutes or hours, at least 1m, such as 5m or 1h (Kibana's rules take no days: write 24h for 1d)",
  ],
  [patterns.table, "must be a custom table name ending in _CL, such as ElasticAlerts_CL"],
];

/** The zod schema of one leaf, e.g. `elastic.kibanaUrl`. */
export function fieldSchema(key: string): z.ZodType | undefined {
  let node: unknown = configSchema;
  for (const segment of key.split(".")) {
    // Unwrap optional/default wrappers around intermediate objects.
    while (node && !(node as { shape?: unknown }).shape && (node as { unwrap?: unknown }).unwrap) {
      node = (node as { unwrap: () => unknown }).unwrap();
    }
    node = (node as { shape?: Record<string, unknown> } | undefined)?.shape?.[segment];
    if (!node) return undefined;
  }
  return node as z.ZodType;
}

function describeIssue(def: InputDef, issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  switch (i.code) {
    case "invalid_format":
      if (i.format === "url") return "must be an http:// or https:// URL, such as https://kibana.example.com:5601";
      if (i.format === "regex") {
        const hint = patternHints.find(([re]) => String(re) === i.pattern);
        if (hint) return hint[1];
      }
      return `has the wrong format (${i.message})`;
    case "invalid_value":
      return `must be one of: ${(i.values as unknown[]).join(", ")}`;
    case "too_big":
      return `must be at most ${i.maximum}`;
    case "too_small":
      return i.origin === "string" ? "must not be empty" : `must be at least ${i.minimum}`;
    case "invalid_type":
      if (i.expected === "int") return "must be a whole number";
      return `must be a ${def.type === "list" ? "comma-separated list" : def.type}`;
    default:
      return i.message;
  }
}

/** Check one value; returns undefined when valid, else a message (without the input's name). */
export function checkValue(def: InputDef, value: unknown): string | undefined {
  const schema = fieldSchema(def.key);
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return describeIssue(def, result.error.issues[0]!);
}

/** A problem for an input, worded for the user: what was given (never a secret), what is wrong, where to set it. */
export function problemFor(key: string, message: string, shown?: { value: unknown; from?: string }): InputProblem {
  const def = findInput(key);
  // A URL's user:password@ part is masked: the password is a secret even when the URL is not.
  const value =
    typeof shown?.value === "string" && /^[a-z]+:\/\/[^/]*@/i.test(shown.value)
      ? describeUrl(shown.value)
      : shown?.value;
  const given =
    shown && def && !def.secret && value !== undefined
      ? ` (got ${JSON.stringify(value)}${shown.from ? ` from ${shown.from}` : ""})`
      : shown?.from
        ? ` (from ${shown.from})`
        : "";
  return { key, message: `${message}${given}`, where: def ? whereToSet(def) : undefined };
}

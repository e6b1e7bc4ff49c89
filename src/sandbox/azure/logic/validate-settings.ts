/**
 * Which trigger and action settings the runtime honours. A property it would otherwise ignore (splitOn,
 * conditions, staticResult, an unknown operation option…) is reported so the deployment fails naming it.
 */
import { isObject } from "./expression/values.js";

export const OPTIONS: Record<string, RegExp> = {
  trigger: /^(enableschemavalidation|includeauthorizationheadersinoutputs)$/i,
  foreach: /^sequential$/i,
  http: /^disableasyncpattern$/i,
};

/** Properties the runtime honours; anything else would be silently ignored, so it is reported instead. */
export const TRIGGER_KEYS = new Set([
  "type",
  "kind",
  "inputs",
  "operationOptions",
  "runtimeConfiguration",
  "description",
  "metadata",
]);
export const ACTION_KEYS = new Set([
  "type",
  "kind",
  "inputs",
  "runAfter",
  "actions",
  "else",
  "cases",
  "default",
  "expression",
  "foreach",
  "limit",
  "runtimeConfiguration",
  "operationOptions",
  "description",
  "metadata",
  "trackedProperties",
]);

export function checkKeys(
  what: string,
  name: string,
  value: Record<string, unknown>,
  allowed: Set<string>,
  problems: string[],
): void {
  for (const k of Object.keys(value))
    if (!allowed.has(k))
      problems.push(`The property '${k}' of ${what} '${name}' is not supported by the sandbox runtime.`);
}

export function checkRuntimeConfiguration(
  what: "trigger" | "action",
  name: string,
  type: string,
  rc: unknown,
  problems: string[],
): void {
  if (rc === undefined) return;
  if (!isObject(rc)) {
    problems.push(`The 'runtimeConfiguration' of ${what} '${name}' must be an object.`);
    return;
  }
  const int = (v: unknown, lo: number, hi: number) =>
    typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;
  for (const [k, v] of Object.entries(rc)) {
    if (k === "concurrency" && isObject(v)) {
      for (const [ck, cv] of Object.entries(v)) {
        const ok =
          what === "trigger"
            ? (ck === "runs" && int(cv, 1, 100)) || (ck === "maximumWaitingRuns" && int(cv, 1, 100))
            : ck === "repetitions" && type === "foreach" && int(cv, 1, 50);
        if (!ok)
          problems.push(
            what === "trigger"
              ? `The concurrency setting '${ck}' of trigger '${name}' is not valid: 'runs' and 'maximumWaitingRuns' take integers from 1 to 100.`
              : `The concurrency 'repetitions' of action '${name}' must be an integer from 1 to 50 on a Foreach action.`,
          );
      }
    } else if (k === "secureData" && what === "action" && isObject(v)) {
      const props = Array.isArray(v.properties) ? v.properties : [];
      if (!props.every((p) => p === "inputs" || p === "outputs"))
        problems.push(`The 'secureData' properties of action '${name}' must be 'inputs' and/or 'outputs'.`);
    } else
      problems.push(`The runtime configuration '${k}' of ${what} '${name}' is not supported by the sandbox runtime.`);
  }
}

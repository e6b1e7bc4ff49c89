/**
 * The run report: what `--json` prints as its one document, and what in-process callers (demo, tests) get back.
 * Filled in as the run goes, so that an error still reports the plan and what was done.
 */
import type { ErrorDocument } from "../io/handle-error.js";
import { redactDeep } from "../redact.js";
import type { Change, ChangeAction, Check, Target } from "./types.js";

export const REPORT_SCHEMA_VERSION = 1;

export type PlanEntry = Omit<Change, "payload">;

/** `interrupted`: its step was running when Ctrl-C came (a re-run finishes it); `failed`: its step failed. */
export type ResourceStatus = "applied" | "unchanged" | "failed" | "interrupted" | "not-applied";

export interface ResourceRecord {
  step: string;
  target: Target;
  resource: string;
  name: string;
  action: ChangeAction;
  status: ResourceStatus;
}

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  command: string;
  /** Resolved inputs by config key; secrets are "[REDACTED]". */
  inputs: Record<string, unknown>;
  plan: PlanEntry[];
  resources: ResourceRecord[];
  checks: Check[];
  error?: ErrorDocument;
}

export function createReport(command: string): RunReport {
  return { schemaVersion: REPORT_SCHEMA_VERSION, command, inputs: {}, plan: [], resources: [], checks: [] };
}

/** The plan as safe to print: no payloads, diffs redacted. */
export function toPlanEntries(changes: readonly Change[]): PlanEntry[] {
  return changes.map(({ payload: _payload, ...rest }) => redactDeep(rest));
}

/** The one JSON document for stdout. */
export function serializeReport(report: RunReport): string {
  return JSON.stringify(redactDeep(report), null, 2);
}

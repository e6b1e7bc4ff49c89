/**
 * What `verify` and the end of `setup` share: drift found by re-planning (any change setup would make is drift,
 * named per object with the command that fixes it), the path checks, the table, and the verdict (exit 6).
 */

import type { RunReport } from "../engine/report.js";
import type { Change, Check, StepContext } from "../engine/types.js";
import { VerificationError } from "../errors.js";
import { checkGroup, formatChecks } from "../io/format.js";
import { formatDuration } from "../io/wait-progress.js";
import type { Output } from "../io/output.js";

export function driftChecks(changes: readonly Change[]): Check[] {
  return changes
    .filter((c) => c.action !== "no-op" && !c.upkeep)
    .map((c) => ({
      id: `drift.${c.step}.${c.name}`,
      title: `${c.resource} ${c.name}`,
      status: "fail" as const,
      cause: `drift: setup would ${c.action} it (${c.reason})`,
      remedy: "Run `sentinel-elastic setup` to put it back (`sentinel-elastic plan` shows the change first).",
    }));
}

/** Run the end-to-end paths, print the table, record the checks; throws VerificationError (exit 6) on a failure. */
export async function verifyPaths(
  ctx: StepContext,
  report: RunReport,
  output: Pick<Output, "outStyle" | "tableColumns">,
  options: { full?: boolean; only?: "case" | "alerts"; timeoutMs?: number; earlier?: Check[] },
): Promise<Check[]> {
  const { runVerification } = await import("../verify/index.js");
  // One line per finished hop; the waits between them show themselves (src/io/wait-progress.ts).
  ctx.io.message("info", "Following the paths end to end…");
  const took = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms));
  const mark = { pass: "✓", fail: "✗", warn: "!", skip: "-" } as const;
  const checks = await runVerification(ctx, {
    full: options.full,
    only: options.only,
    timeoutMs: options.timeoutMs,
    onCheck: (c) =>
      ctx.io.message(
        "info",
        `${mark[c.status]} ${checkGroup(c).split(":")[0]}: ${c.title}${c.durationMs === undefined ? "" : ` (${took(c.durationMs)})`}`,
      ),
  });
  const failed = checks.filter((c) => c.status === "fail");
  ctx.io.message(
    failed.length ? "warn" : "success",
    failed.length ? `${failed.length} hop${failed.length === 1 ? "" : "s"} failed` : "Both paths work end to end",
  );
  const all = [...(options.earlier ?? []), ...checks];
  report.checks = all;
  ctx.io.result(formatChecks(checks, output.outStyle, { columns: output.tableColumns?.() }));
  assertPassed(all);
  return all;
}

export function assertPassed(checks: readonly Check[]): void {
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length === 0) return;
  throw new VerificationError(
    `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.title).join("; ")}`,
    {
      code: "VERIFY_FAILED",
      suggestion: failed[0]!.remedy ?? "See the checks above; fix the cause and run `sentinel-elastic verify` again.",
    },
  );
}

/**
 * `verify`: 1. configuration checks — re-plan every step (any change setup would make is drift) and run each
 * step's own checks; 2. the case path; 3. the alert path (fast); 4. with --full, the real test document through
 * the rule. Exit 0 only when every selected check passed, 6 otherwise.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { enabledSteps, planSteps, verifySteps } from "../engine/run.js";
import { InputError } from "../errors.js";
import { formatChecks } from "../io/format.js";
import {
  type CommandDeps,
  type CommandResult,
  type CommonOptions,
  commandIo,
  commandStepContext,
  loadCommandConfig,
} from "./context.js";
import { driftChecks, verifyPaths } from "./verify-report.js";

export interface VerifyOptions extends CommonOptions {
  /** --full: also the real test document → rule → alert → row → incident. */
  full?: boolean;
  /** --timeout, in milliseconds (the CLI parses `15m`). */
  timeout?: number;
  /** --only case|alerts */
  only?: "case" | "alerts";
  /** --report FILE.html: write a self-contained page of the run (also when a check fails). */
  report?: string;
}

export async function runVerify(options: VerifyOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo("verify", options, deps);
  if (options.report) checkReportPath(options.report, cio.cwd);
  const { config } = await loadCommandConfig(options, cio);
  const ctx = commandStepContext(config, cio, deps);
  const startedAt = ctx.now();
  let failure: unknown;
  try {
    const all = deps.steps ?? (await import("../steps/index.js")).setupSteps();
    const steps = enabledSteps(all, ctx);
    // Plans are read-only: they find each managed object and say what setup would change.
    const changes = await planSteps(steps, ctx);
    const configuration = [...driftChecks(changes), ...(await verifySteps(steps, ctx))];
    cio.report.checks = configuration;
    cio.io.result(formatChecks(configuration, cio.output.outStyle, { columns: cio.output.tableColumns?.() }));
    await verifyPaths(ctx, cio.report, cio.output, {
      full: options.full,
      only: options.only,
      timeoutMs: options.timeout,
      earlier: configuration,
    });
    cio.io.message("success", "Verified: every check passed.");
    return { exitCode: 0, report: cio.report };
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    if (options.report) {
      // A failed run is when the page matters most: it is written whatever the outcome.
      const { writeHtmlReport } = await import("./verify-html.js");
      const timing = { startedAt, durationMs: ctx.now() - startedAt };
      await writeHtmlReport(resolve(cio.cwd, options.report), ctx, cio.report, timing, failure).then(
        (path) => cio.io.message("info", `Report: ${path}`),
        (e: Error) => cio.io.message("warn", `Could not write the report ${options.report}: ${e.message}`),
      );
    }
  }
}

/** Before a run of up to --timeout: the report's folder must exist, or the page would be lost at the end. */
function checkReportPath(file: string, cwd: string): void {
  const dir = dirname(resolve(cwd, file));
  if (!existsSync(dir)) {
    throw new InputError(`--report ${file}: the folder ${dir} does not exist`, {
      code: "REPORT_PATH",
      suggestion: "Give a file in an existing folder, e.g. --report verify-report.html.",
    });
  }
}

/**
 * `verify`: 1. configuration checks — re-plan every step (any change setup would make is drift) and run each
 * step's own checks; 2. the case path; 3. the alert path (fast); 4. with --full, the real test document through
 * the rule. Exit 0 only when every selected check passed, 6 otherwise.
 */
import { enabledSteps, planSteps, verifySteps } from "../engine/run.js";
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
}

export async function runVerify(options: VerifyOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo("verify", options, deps);
  const { config } = await loadCommandConfig(options, cio);
  const ctx = commandStepContext(config, cio, deps);
  const all = deps.steps ?? (await import("../steps/index.js")).setupSteps();
  const steps = enabledSteps(all, ctx);
  // Plans are read-only: they find each managed object and say what setup would change.
  const changes = await planSteps(steps, ctx);
  const configuration = [...driftChecks(changes), ...(await verifySteps(steps, ctx))];
  cio.io.result(formatChecks(configuration, cio.output.outStyle, { columns: cio.output.tableColumns?.() }));
  await verifyPaths(ctx, cio.report, cio.output, {
    full: options.full,
    only: options.only,
    timeoutMs: options.timeout,
    earlier: configuration,
  });
  cio.io.message("success", "Verified: every check passed.");
  return { exitCode: 0, report: cio.report };
}

/** `setup` (and `plan` = setup --dry-run): resolve inputs, plan, confirm, apply, verify. */
import { runSetupEngine } from "../engine/run.js";
import { NotImplementedError } from "../errors.js";
import type { LoadedConfig } from "../config/load.js";
import {
  type CommandDeps,
  type CommandIo,
  type CommandResult,
  type CommonOptions,
  commandIo,
  commandStepContext,
  loadCommandConfig,
} from "./context.js";
import { verifyPaths } from "./verify-report.js";

export interface SetupOptions extends CommonOptions {
  /** --no-verify: skip the end-to-end paths at the end (the configuration checks still run). */
  verify?: boolean;
  /** Also follow the test document through the rule at the end (default true: setup wrote it for that). */
  full?: boolean;
  /** Bound for the end-to-end verification, ms. */
  timeout?: number;
  dryRun?: boolean;
  /** With dryRun: exit 2 when the plan has changes, 0 when not. */
  detailedExitcode?: boolean;
  /** --adopt NAME: objects with our names but not our marker that this run may take over. */
  adopt?: string[];
  /** --rotate-keys: regenerate the Logic Apps' access keys and rewrite the connectors with the new callback URLs. */
  rotateKeys?: boolean;
}

export async function runSetup(options: SetupOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo(options.dryRun ? "plan" : "setup", options, deps);
  // In a terminal, missing inputs are asked by the wizard (src/wizard), each checked as it is given.
  const loaded = await loadCommandConfig(options, cio, {
    wizard: { overrides: deps.overrides ?? {}, sleep: deps.clock?.sleep, signal: deps.signal },
  });
  if (!loaded.asked) return planApplyVerify(options, deps, cio, loaded.config);
  // Answers were typed: offer to keep them, at the end or when the run stops (Ctrl-C, a failed step).
  try {
    return await planApplyVerify(options, deps, cio, loaded.config);
  } finally {
    const { offerToSave } = await import("../wizard/save.js");
    await offerToSave(cio.io, cio.cwd, loaded);
  }
}

async function planApplyVerify(
  options: SetupOptions,
  deps: CommandDeps,
  cio: CommandIo,
  config: LoadedConfig["config"],
): Promise<CommandResult> {
  const steps = deps.steps ?? (await import("../steps/index.js")).setupSteps();
  if (steps.length === 0) {
    throw new NotImplementedError(
      "setup",
      "Its Azure and Kibana steps land with their own issues; until then nothing can be planned or changed. Your inputs were checked and are valid.",
    );
  }
  const ctx = commandStepContext(config, cio, deps);
  ctx.shared.adopt = options.adopt ?? [];
  ctx.shared.rotateKeys = options.rotateKeys === true;
  const result = await runSetupEngine({
    steps,
    ctx,
    report: cio.report,
    dryRun: options.dryRun,
    style: cio.output.outStyle,
    table: { columns: cio.output.tableColumns?.() },
  });
  if (!options.dryRun && options.verify !== false) {
    await verifyPaths(ctx, cio.report, cio.output, {
      full: options.full ?? true,
      timeoutMs: options.timeout,
      earlier: result.checks,
    });
  }
  if (!options.dryRun) cio.io.message("success", "Setup complete.");
  const exitCode = options.dryRun && options.detailedExitcode && result.changed ? 2 : 0;
  return { exitCode, report: cio.report };
}

/** `plan`: the same as `setup --dry-run`. */
export function runPlan(options: SetupOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  return runSetup({ ...options, dryRun: true }, deps);
}

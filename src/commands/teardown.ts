/**
 * `teardown`: removes exactly what setup created for this prefix — found by deterministic names, ids and our
 * tags — in an order that never leaves a broken reference. Shows the plan first; asks, or needs --yes.
 */
import { runSetupEngine } from "../engine/run.js";
import {
  type CommandDeps,
  type CommandResult,
  type CommonOptions,
  commandIo,
  commandStepContext,
  loadCommandConfig,
} from "./context.js";

export interface TeardownOptions extends CommonOptions {
  dryRun?: boolean;
  /** --delete-data: also the alerts table. */
  deleteData?: boolean;
  /** --delete-resource-group: also the resource group, when setup created it. */
  deleteResourceGroup?: boolean;
  /** --uninstall-packages: also uninstall the microsoft_sentinel Fleet package. */
  uninstallPackages?: boolean;
}

export async function runTeardown(options: TeardownOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo("teardown", options, deps);
  const { config } = await loadCommandConfig(options, cio);
  const ctx = commandStepContext(config, cio, deps);
  const { teardownSteps } = await import("../steps/index.js");
  const steps =
    deps.steps ??
    teardownSteps({
      deleteData: options.deleteData,
      deleteResourceGroup: options.deleteResourceGroup,
      uninstallPackages: options.uninstallPackages,
    });
  const result = await runSetupEngine({
    steps,
    ctx,
    report: cio.report,
    dryRun: options.dryRun,
    style: cio.output.outStyle,
    table: { columns: cio.output.tableColumns?.() },
    nothingToDo: "Nothing to remove: nothing of ours is left for this prefix.",
  });
  if (!options.dryRun && result.applied) cio.io.message("success", "Teardown complete.");
  return { exitCode: 0, report: cio.report };
}

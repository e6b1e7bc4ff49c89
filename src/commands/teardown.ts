/** `teardown`: removes exactly what setup created for this prefix (issue 9). Not built yet. */
import { NotImplementedError } from "../errors.js";
import { type CommandDeps, type CommandResult, type CommonOptions, commandIo, loadCommandConfig } from "./context.js";

export interface TeardownOptions extends CommonOptions {
  dryRun?: boolean;
  /** --delete-data: also the alerts table. */
  deleteData?: boolean;
  /** --delete-resource-group: also the resource group, when setup created it. */
  deleteResourceGroup?: boolean;
}

export async function runTeardown(options: TeardownOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo("teardown", options, deps);
  await loadCommandConfig(options, cio);
  throw new NotImplementedError(
    "teardown",
    "It lands with the teardown issue; nothing was removed. Your inputs were checked and are valid.",
  );
}

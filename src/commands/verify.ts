/** `verify`: checks every managed object and follows both paths end to end (issue 8). Not built yet. */
import { NotImplementedError } from "../errors.js";
import { type CommandDeps, type CommandResult, type CommonOptions, commandIo, loadCommandConfig } from "./context.js";

export interface VerifyOptions extends CommonOptions {
  full?: boolean;
}

export async function runVerify(options: VerifyOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo("verify", options, deps);
  await loadCommandConfig(options, cio);
  throw new NotImplementedError(
    "verify",
    "It lands with the verify/demo issue; your inputs were checked and are valid.",
  );
}

/** `verify`: checks every managed object and follows both paths end to end (issue 8). Not built yet. */
import { NotImplementedError } from "../errors.js";
import { type CommandDeps, type CommandResult, type CommonOptions, commandIo, loadCommandConfig } from "./context.js";

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
  await loadCommandConfig(options, cio);
  throw new NotImplementedError(
    "verify",
    "It lands with the verify/demo issue; your inputs were checked and are valid.",
  );
}

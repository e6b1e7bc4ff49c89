/**
 * Run one command the way the CLI does: typed errors go through the one handler; with --json the report is
 * printed as the only thing on stdout, error included. Returns the exit code (cli.ts alone exits).
 */
import { serializeReport } from "../engine/report.js";
import { errorDocument, printError } from "../io/handle-error.js";
import { type CommandDeps, type CommandResult, type CommonOptions, commandIo } from "./context.js";

export async function executeCommand<O extends CommonOptions>(
  command: string,
  options: O,
  deps: CommandDeps,
  run: (options: O, deps: CommandDeps) => Promise<CommandResult>,
): Promise<number> {
  const cio = commandIo(command, options, deps);
  let exitCode: number;
  try {
    exitCode = (await run(options, { ...deps, io: cio.io, output: cio.output, report: cio.report })).exitCode;
  } catch (error) {
    cio.report.error = errorDocument(error);
    cio.io.close?.();
    exitCode = printError(error, cio.output);
  }
  cio.io.close?.();
  if (options.json) cio.output.out(serializeReport(cio.report));
  return exitCode;
}

/** Run the CLI in-process with captured streams, a given env and cwd, and optional fake steps. */
import { runCli } from "../../src/cli.js";
import type { CommandDeps } from "../../src/commands/context.js";
import { captureStream } from "./streams.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliInProcess(
  args: string[],
  deps: Omit<CommandDeps, "stdout" | "stderr"> & { stdoutTTY?: boolean } = {},
): Promise<CliRun> {
  const stdout = captureStream(deps.stdoutTTY ?? false);
  const stderr = captureStream(false);
  const code = await runCli(["node", "sentinel-elastic", ...args], {
    stdin: { isTTY: false } as NodeJS.ReadableStream & { isTTY?: boolean },
    ...deps,
    stdout,
    stderr,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

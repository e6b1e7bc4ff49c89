/** `demo`: sandboxes in-process, setup against them (which ends with verify --full), then stop. */
import type { DemoOptions } from "../demo/run-demo.js";
import type { CommandDeps, CommandResult } from "./context.js";
import { commandIo } from "./context.js";

export type { DemoOptions };

export async function runDemo(options: DemoOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  const cio = commandIo("demo", options, deps);
  const [{ runDemo: run }, { runSetup }] = await Promise.all([import("../demo/run-demo.js"), import("./setup.js")]);
  return run(options, { ...deps, io: cio.io, output: cio.output, report: cio.report }, { setup: runSetup });
}

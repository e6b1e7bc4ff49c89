/** The library API: run commands in-process (demo, other tools, tests) with an injected IoHost and clients. */
export { runDemo } from "./commands/demo.js";
export type { CommandDeps, CommandResult, CommonOptions } from "./commands/context.js";
export { runPlan, runSetup, type SetupOptions } from "./commands/setup.js";
export { runTeardown } from "./commands/teardown.js";
export { runVerify } from "./commands/verify.js";
export { type LoadedConfig, resolveConfig, type ResolveConfigOptions } from "./config/load.js";
export { findInput, type InputDef, inputs, whereToSet } from "./config/registry.js";
export type { ResolvedConfig } from "./config/schema.js";
export type { ClientOverrides, HttpEvent } from "./engine/client-options.js";
export { createReport, type RunReport } from "./engine/report.js";
export { runSetupEngine } from "./engine/run.js";
export type { Change, Check, Step, StepContext } from "./engine/types.js";
export * from "./errors.js";
export { InteractiveIoHost } from "./io/interactive-host.js";
export type { IoHost, Question } from "./io/io-host.js";
export { NonInteractiveIoHost } from "./io/non-interactive-host.js";
export { createOutput } from "./io/output.js";
export { redact, redactDeep, registerSecret } from "./redact.js";

/**
 * What every command shares: its dependencies (streams, env, cwd, an IoHost, client overrides — so demo and
 * tests can run commands in-process), the common options, the choice of IoHost, and the resolved inputs.
 */
import { type LoadedConfig, type ResolveConfigOptions, resolveConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/schema.js";
import { createStepContext } from "../engine/context.js";
import { inputs } from "../config/registry.js";
import type { ClientOverrides } from "../engine/client-options.js";
import { createReport, type RunReport } from "../engine/report.js";
import type { Step, StepContext } from "../engine/types.js";
import { InteractiveIoHost } from "../io/interactive-host.js";
import type { IoHost } from "../io/io-host.js";
import { NonInteractiveIoHost } from "../io/non-interactive-host.js";
import { createOutput, type Output, type WritableLike } from "../io/output.js";
import { REDACTED } from "../redact.js";

export interface CommonOptions {
  /** --config FILE */
  config?: string;
  nonInteractive?: boolean;
  yes?: boolean;
  json?: boolean;
  debug?: boolean;
  /** Input values given as flags, by config key (`elastic.kibanaUrl`). */
  inputs?: Record<string, unknown>;
}

export interface CommandDeps {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout?: WritableLike;
  stderr?: WritableLike;
  /** Use this host instead of choosing one (tests, demo). */
  io?: IoHost;
  output?: Output;
  /** E.g. an injected Azure credential (demo: the sandbox's) and extra CAs. */
  overrides?: ClientOverrides;
  /** Replace the command's steps (the library API and the engine tests). */
  steps?: readonly Step[];
  /** Aborted on Ctrl-C; steps stop at the next safe point. */
  signal?: AbortSignal;
  /** Filled in as the run goes; the caller keeps it when the command throws. */
  report?: RunReport;
  /** The clock steps read and wait by (demo: the sandbox's fast clock). Default: real time. */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
}

export interface CommandResult {
  exitCode: number;
  report: RunReport;
}

/** Interactive only when stdin and stdout are terminals and neither --non-interactive, --json nor CI=true is set. */
export function isInteractive(
  options: Pick<CommonOptions, "nonInteractive" | "json">,
  deps: Pick<CommandDeps, "stdin" | "stdout" | "env">,
): boolean {
  const env = deps.env ?? process.env;
  const ci = (env.CI ?? "").toLowerCase();
  if (options.nonInteractive || options.json || ci === "true" || ci === "1") return false;
  const stdin = deps.stdin ?? process.stdin;
  const stdout = deps.stdout ?? process.stdout;
  return stdin.isTTY === true && stdout.isTTY === true;
}

export interface CommandIo {
  output: Output;
  io: IoHost;
  report: RunReport;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function commandIo(command: string, options: CommonOptions, deps: CommandDeps): CommandIo {
  const env = deps.env ?? process.env;
  const output =
    deps.output ??
    createOutput({
      stdout: deps.stdout ?? process.stdout,
      stderr: deps.stderr ?? process.stderr,
      env,
      json: options.json,
      debug: options.debug,
    });
  const io =
    deps.io ??
    (isInteractive(options, deps)
      ? new InteractiveIoHost({
          output,
          assumeYes: options.yes,
          input: deps.stdin ?? process.stdin,
          promptOutput: (deps.stderr ?? process.stderr).isTTY
            ? (deps.stderr ?? process.stderr)
            : (deps.stdout ?? process.stdout),
        })
      : new NonInteractiveIoHost({ output, assumeYes: options.yes }));
  return { output, io, report: deps.report ?? createReport(command), env, cwd: deps.cwd ?? process.cwd() };
}

/** Resolve inputs for a command and record them (secrets redacted) in the report. */
export async function loadCommandConfig(
  options: CommonOptions,
  cio: CommandIo,
  extra: Pick<ResolveConfigOptions, "wizard"> = {},
): Promise<LoadedConfig> {
  const loaded = await resolveConfig({
    flags: options.inputs,
    env: cio.env,
    cwd: cio.cwd,
    configFile: options.config,
    io: cio.io,
    ...extra,
  });
  cio.report.inputs = reportInputs(loaded.config as unknown as Record<string, unknown>);
  if (loaded.file) cio.io.message("debug", `config file: ${loaded.file}`);
  for (const [key, source] of Object.entries(loaded.sources)) cio.io.message("debug", `${key} from ${source}`);
  return loaded;
}

/** Inputs by config key for --json; every secret that is set shows as [REDACTED]. */
export function reportInputs(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of inputs) {
    const value = def.key
      .split(".")
      .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), config);
    if (value === undefined) continue;
    out[def.key] = def.secret ? REDACTED : value;
  }
  return out;
}

/** The step context a command hands to its steps: its IoHost, the caller's client overrides, signal and clock. */
export function commandStepContext(config: LoadedConfig["config"], cio: CommandIo, deps: CommandDeps): StepContext {
  return createStepContext({
    config: config as ResolvedConfig,
    io: cio.io,
    overrides: deps.overrides,
    signal: deps.signal,
    now: deps.clock?.now,
    sleep: deps.clock?.sleep,
  });
}

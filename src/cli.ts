/**
 * Argument parsing, and the only place that calls process.exit. Kept light: `--help` loads commander and the
 * input registry only; each command's module (zod, chalk, prompts, the engine) is imported when it runs.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { CommandDeps, CommonOptions } from "./commands/context.js";
import { refuseSecretFlags } from "./commands/secret-flags.js";
import { inputs } from "./config/registry.js";
import { ExitCode, InputError } from "./errors.js";

const BIN = "sentinel-elastic";

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
      .version;
  } catch {
    return "0.0.0";
  }
}

/** attribute name (commander) → config key, for the options generated from the registry. */
type FlagMap = Map<string, string>;

function addInputOptions(cmd: Command, flagMap: FlagMap): void {
  for (const def of inputs) {
    if (!def.flag) continue;
    const extra = [
      `env ${def.env}`,
      def.choices ? `one of ${def.choices.join("|")}` : "",
      def.default !== undefined ? `default ${Array.isArray(def.default) ? def.default.join(",") : def.default}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    const text = `${def.description} [${extra}]`;
    if (def.type === "boolean") {
      const on = new Option(def.flag, text);
      const off = new Option(`--no-${def.flag.slice(2)}`, `Turn off ${def.flag}`);
      cmd.addOption(on).addOption(off);
      flagMap.set(on.attributeName(), def.key);
    } else {
      const placeholder = def.type === "list" ? "<a,b,…>" : def.type === "number" ? "<n>" : "<value>";
      const opt = new Option(`${def.flag} ${placeholder}`, text);
      cmd.addOption(opt);
      flagMap.set(opt.attributeName(), def.key);
    }
  }
}

function addCommonOptions(cmd: Command, withInputs: boolean): void {
  if (withInputs) {
    cmd.option("--config <file>", "Config file (default: sentinel-elastic.yaml, .yml or .json in this folder)");
    cmd.option(
      "--non-interactive",
      "Never prompt: fail listing every missing input (implied by CI=true, --json or no terminal)",
    );
    cmd.option("-y, --yes", "Accept defaults and confirmations, destructive ones included");
  }
  cmd.option("--json", "Print one JSON document on stdout at the end (implies --non-interactive)");
  cmd.option("--debug", "Show each HTTP call (method, URL, status, duration) and error stacks");
}

/** `--timeout 15m` → milliseconds (commander turns the throw into a usage error: exit 3). */
export function parseDuration(text: string): number {
  const m = /^([1-9][0-9]*)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError("expected a duration such as 90s, 15m or 1h");
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

const INPUTS_HELP = `
Inputs: flags > environment variables > config file > defaults > a prompt (interactive runs only).
Secrets (ELASTIC_API_KEY, ELASTIC_PASSWORD, AZURE_CLIENT_SECRET, …) come only from the environment, the
config file (\${ENV_VAR} interpolation) or a masked prompt, never from flags.`;

function commonFrom(opts: Record<string, unknown>, flagMap: FlagMap): CommonOptions {
  const values: Record<string, unknown> = {};
  for (const [attr, key] of flagMap) if (opts[attr] !== undefined) values[key] = opts[attr];
  return {
    config: opts.config as string | undefined,
    nonInteractive: opts.nonInteractive === true,
    yes: opts.yes === true,
    json: opts.json === true,
    debug: opts.debug === true,
    inputs: values,
  };
}

export function buildProgram(deps: CommandDeps, setExitCode: (code: number) => void): Command {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const program = new Command(BIN)
    .description(
      "Connect Elastic Security and Microsoft Sentinel: Kibana cases become Sentinel incidents, Elastic alerts reach Sentinel, and Sentinel comes back into Elastic.",
    )
    .version(packageVersion(), "-V, --version", "Print the version")
    .helpOption("-h, --help", "Show help")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => stdout.write(s),
      writeErr: (s) => stderr.write(s),
      // Usage errors are printed by our handler (exit 3), not by commander.
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    .addHelpCommand(false)
    .addHelpText("after", `${INPUTS_HELP}\n${examples([`npx ${BIN} demo`, `${BIN} plan`, `${BIN} setup --help`])}`);

  /** --adopt NAME (repeatable): take over an object with our name that is not ours (destructive, confirmed). */
  const addAdoptOption = (cmd: Command) =>
    cmd.option(
      "--adopt <name>",
      "Take over an object that has our name but not our marker, as named in the plan's conflict row (repeatable; overwrites it, asks or needs --yes)",
      (v: string, prev: string[] = []) => [...prev, v],
    );

  const run =
    (command: string, load: () => Promise<(o: any, d: CommandDeps) => Promise<any>>, extra: object = {}) =>
    async (opts: Record<string, unknown>, flagMap: FlagMap) => {
      const [{ executeCommand }, fn] = await Promise.all([import("./commands/run-command.js"), load()]);
      setExitCode(await executeCommand(command, { ...opts, ...commonFrom(opts, flagMap), ...extra }, deps, fn));
    };

  // setup
  {
    const flagMap: FlagMap = new Map();
    const cmd = program.command("setup").description("Plan, confirm, apply and verify both paths (Azure and Kibana)");
    addCommonOptions(cmd, true);
    cmd.option("--dry-run", "Print the plan and stop (same as `plan`)");
    cmd.option("--detailed-exitcode", "With --dry-run: exit 0 when nothing would change, 2 when something would");
    cmd.option("--no-verify", "Skip the end-to-end verification at the end (the configuration checks still run)");
    addAdoptOption(cmd);
    cmd.addOption(
      new Option("--timeout <duration>", "Bound for the end-to-end verification, e.g. 10m [default 15m]").argParser(
        parseDuration,
      ),
    );
    addInputOptions(cmd, flagMap);
    cmd.addHelpText(
      "after",
      `${INPUTS_HELP}\n${examples([
        `${BIN} setup                                   # asks for what is missing`,
        `${BIN} setup --config prod.yaml --yes`,
        `KIBANA_URL=https://kb.example.com:5601 ELASTIC_API_KEY=… AZURE_SUBSCRIPTION_ID=… \\\n      ${BIN} setup --resource-group rg-soc --workspace soc-ws --non-interactive --yes --json`,
      ])}`,
    );
    const go = run("setup", async () => (await import("./commands/setup.js")).runSetup);
    cmd.action((opts) => go(opts, flagMap));
  }
  // plan
  {
    const flagMap: FlagMap = new Map();
    const cmd = program
      .command("plan")
      .description("Show what setup would change, and change nothing (= setup --dry-run)");
    addCommonOptions(cmd, true);
    cmd.option("--detailed-exitcode", "Exit 0 when nothing would change, 2 when something would");
    addAdoptOption(cmd);
    addInputOptions(cmd, flagMap);
    cmd.addHelpText(
      "after",
      examples([
        `${BIN} plan`,
        `${BIN} plan --config prod.yaml --detailed-exitcode   # exit 2 when there is drift`,
        `${BIN} plan --json > plan.json`,
      ]),
    );
    const go = run("plan", async () => (await import("./commands/setup.js")).runPlan, { dryRun: true });
    cmd.action((opts) => go(opts, flagMap));
  }
  // verify
  {
    const flagMap: FlagMap = new Map();
    const cmd = program.command("verify").description("Check every managed object and follow both paths end to end");
    addCommonOptions(cmd, true);
    cmd.option("--full", "Also follow a real test document through the detection rule (slower)");
    cmd.addOption(
      new Option("--timeout <duration>", "Bound for the whole run, e.g. 90s, 15m, 1h [default 15m]").argParser(
        parseDuration,
      ),
    );
    cmd.addOption(new Option("--only <path>", "Check only one path").choices(["case", "alerts"]));
    addInputOptions(cmd, flagMap);
    cmd.addHelpText(
      "after",
      examples([
        `${BIN} verify`,
        `${BIN} verify --only case --timeout 5m`,
        `${BIN} verify --full --config prod.yaml --json`,
      ]),
    );
    const go = run("verify", async () => (await import("./commands/verify.js")).runVerify);
    cmd.action((opts) => go(opts, flagMap));
  }
  // teardown
  {
    const flagMap: FlagMap = new Map();
    const cmd = program
      .command("teardown")
      .description("Remove exactly what setup created for this prefix (asks first; --yes in CI)");
    addCommonOptions(cmd, true);
    cmd.option("--dry-run", "Print what would be removed and stop");
    cmd.option("--delete-data", "Also delete the alerts table (it holds the forwarded alert history)");
    cmd.option("--delete-resource-group", "Also delete the resource group, if setup created it");
    cmd.option("--uninstall-packages", "Also uninstall the microsoft_sentinel Fleet package (the way back)");
    addInputOptions(cmd, flagMap);
    cmd.addHelpText(
      "after",
      examples([
        `${BIN} teardown --dry-run`,
        `${BIN} teardown`,
        `${BIN} teardown --config prod.yaml --non-interactive --yes --delete-data`,
      ]),
    );
    const go = run("teardown", async () => (await import("./commands/teardown.js")).runTeardown);
    cmd.action((opts) => go(opts, flagMap));
  }
  // demo
  {
    const cmd = program
      .command("demo")
      .description(
        "Run setup and verify against local sandboxes of Kibana, Elasticsearch and Azure (no accounts needed)",
      );
    addCommonOptions(cmd, false);
    cmd.option(
      "--keep",
      "Keep the sandboxes running and print a config file and env lines to use them from another shell",
    );
    cmd.addHelpText("after", examples([`npx ${BIN} demo`, `${BIN} demo --keep`, `${BIN} demo --json`]));
    const go = run("demo", async () => (await import("./commands/demo.js")).runDemo);
    cmd.action((opts) => go(opts, new Map()));
  }
  return program;
}

/** Parse argv (process.argv shape) and run; resolves to the exit code. Never exits the process. */
export async function runCli(argv: readonly string[], deps: CommandDeps = {}): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const stderr = deps.stderr ?? process.stderr;
  try {
    refuseSecretFlags(argv.slice(2));
    await buildProgram(deps, (c) => {
      exitCode = c;
    }).parseAsync([...argv]);
    return exitCode;
  } catch (thrown) {
    let error = thrown;
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
      if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync") return error.exitCode;
      // A usage error is an input error: exit 3, printed like every other error.
      error = new InputError(error.message.replace(/^error: /, "").replace(/\n/g, " "), {
        code: "USAGE",
        suggestion: `Run \`${BIN} --help\` or \`${BIN} <command> --help\` for the commands and their options.`,
      });
    }
    const { createOutput } = await import("./io/output.js");
    const { errorDocument, printError } = await import("./io/handle-error.js");
    if (argv.includes("--json")) {
      // Even a usage error gives --json its one document.
      const { createReport, serializeReport } = await import("./engine/report.js");
      const report = createReport(argv.slice(2).find((a) => !a.startsWith("-")) ?? "");
      report.error = errorDocument(error);
      (deps.stdout ?? process.stdout).write(`${serializeReport(report)}\n`);
    }
    return printError(
      error,
      createOutput({ stdout: deps.stdout ?? process.stdout, stderr, env: deps.env, debug: argv.includes("--debug") }),
    );
  }
}

/** The bin's entry: Ctrl-C stops at the next safe point (twice: now), then exit with the command's code. */
export async function main(argv: readonly string[] = process.argv, deps: CommandDeps = {}): Promise<void> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      process.stderr.write("\nInterrupted again: exiting now. Re-run the command to continue.\n");
      process.exit(ExitCode.aborted);
    }
    process.stderr.write("\nStopping at the next safe point… (Ctrl-C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  // `sentinel-elastic plan | head -1`: a reader that goes away is not an error worth a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.ok);
    throw error;
  });
  const code = await runCli(argv, { ...deps, signal: controller.signal });
  process.exit(code);
}

/**
 * Argument parsing, and the only place that calls process.exit. Kept light: `--help` loads commander and the
 * input registry only; each command's module (zod, chalk, prompts, the engine) is imported when it runs.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { CommandDeps, CommonOptions } from "./commands/context.js";
import { commandReads, HELP, type HelpOptions, helpGroupOf, helpWithExamples } from "./cli-help.js";
import { refuseSecretFlags } from "./commands/secret-flags.js";
import { inputs } from "./config/registry.js";
import { packageVersion } from "./elastic/user-agent.js";
import { ExitCode, InputError } from "./errors.js";

const BIN = "sentinel-elastic";

/** attribute name (commander) → config key, for the options generated from the registry. */
type FlagMap = Map<string, string>;

const GROUP_ORDER: string[] = [HELP.elastic, HELP.azure, HELP.features, HELP.advanced];

/** The input flags `command` reads, grouped for --help; the advanced ones are listed with --help-all only. */
function addInputOptions(cmd: Command, flagMap: FlagMap, command: string, help: HelpOptions): void {
  const defs = inputs
    .filter((def) => def.flag && commandReads(command, def))
    .sort((a, b) => GROUP_ORDER.indexOf(helpGroupOf(a)) - GROUP_ORDER.indexOf(helpGroupOf(b)));
  const advanced = defs.filter((def) => helpGroupOf(def) === HELP.advanced).length;
  if (advanced > 0 && !help.all) {
    cmd.addHelpText(
      "after",
      `\n${advanced} advanced options (endpoints, CA files, rule and alert tuning, names, the way back's details): --help-all.`,
    );
  }
  for (const def of defs) {
    const flag = def.flag!;
    const group = helpGroupOf(def);
    const hidden = group === HELP.advanced && !help.all;
    const extra = [
      def.env,
      def.choices ? def.choices.join("|") : "",
      def.default !== undefined ? `default ${Array.isArray(def.default) ? def.default.join(",") : def.default}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    const text = `${def.description} [${extra}]`;
    if (def.type === "boolean") {
      const on = new Option(flag, `${text} (--no-${flag.slice(2)} turns it off)`).helpGroup(group);
      // Parsed, not listed: the line above names it.
      const off = new Option(`--no-${flag.slice(2)}`, `Turn off ${flag}`).hideHelp();
      cmd.addOption(hidden ? on.hideHelp() : on).addOption(off);
      flagMap.set(on.attributeName(), def.key);
    } else {
      const placeholder = def.type === "list" ? "<a,b,…>" : def.type === "number" ? "<n>" : "<value>";
      const opt = new Option(`${flag} ${placeholder}`, text).helpGroup(group);
      cmd.addOption(hidden ? opt.hideHelp() : opt);
      flagMap.set(opt.attributeName(), def.key);
    }
  }
}

function addCommonOptions(cmd: Command, withInputs: boolean): void {
  // Every option added without a group of its own from here on (the help option too) is a common one.
  cmd.optionsGroup(HELP.common);
  if (withInputs) {
    cmd.option("--config <file>", "Config file (default: sentinel-elastic.yaml, .yml or .json in this folder)");
    cmd.option(
      "--non-interactive",
      "Never prompt: fail listing every missing input (implied by CI=true, --json or no terminal)",
    );
    cmd.option("-y, --yes", "Accept defaults and confirmations, destructive ones included");
  }
  cmd.option("--json", "Print one JSON document on stdout at the end (implies --non-interactive)");
  cmd.option("--debug", "Show each HTTP call (method, URL, status, duration), error stacks and full ids");
  cmd.option("--help-all", "Show every option, the advanced ones too");
}

/** An option of the command itself (listed first, under "Options:"). */
const own = (cmd: Command, option: Option) => cmd.addOption(option.helpGroup(HELP.options));

/** `--timeout 15m` → milliseconds (commander turns the throw into a usage error: exit 3). */
export function parseDuration(text: string): number {
  const m = /^([1-9][0-9]*)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError("expected a duration such as 90s, 15m or 1h");
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

/** Examples per command, printed right after its description (cli-help.ts). */
const EXAMPLES = new WeakMap<Command, string[]>();

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

export function buildProgram(deps: CommandDeps, setExitCode: (code: number) => void, help: HelpOptions = {}): Command {
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
    .configureHelp({ formatHelp: (cmd, helper) => helpWithExamples(cmd, EXAMPLES.get(cmd), helper) })
    .addHelpText("after", INPUTS_HELP);
  EXAMPLES.set(program, [`${BIN} demo`, `${BIN} plan`, `${BIN} setup --help`]);

  /**
   * --adopt NAME (repeatable): take over an object with our name that is not ours (destructive, confirmed).
   * --rotate-keys: regenerate the Logic Apps' access keys and rewrite the connectors with the new callback URLs.
   */
  const addAdoptOption = (cmd: Command) => {
    cmd.option(
      "--adopt <name>",
      "Take over an object that has our name but not our marker, as named in the plan's conflict row (repeatable; overwrites it, asks or needs --yes)",
      (v: string, prev: string[] = []) => [...prev, v],
    );
    cmd.option(
      "--rotate-keys",
      "Regenerate the Logic Apps' access keys (old callback URLs stop working) and rewrite the connectors with the new URLs",
    );
  };

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
    own(cmd, new Option("--dry-run", "Print the plan and stop (same as `plan`)"));
    own(
      cmd,
      new Option("--detailed-exitcode", "With --dry-run: exit 0 when nothing would change, 2 when something would"),
    );
    own(
      cmd,
      new Option("--no-verify", "Skip the end-to-end verification at the end (the configuration checks still run)"),
    );
    addAdoptOption(cmd);
    own(
      cmd,
      new Option("--timeout <duration>", "Bound for the end-to-end verification, e.g. 10m [default 15m]").argParser(
        parseDuration,
      ),
    );
    addCommonOptions(cmd, true);
    addInputOptions(cmd, flagMap, "setup", help);
    cmd.addHelpText("after", INPUTS_HELP);
    EXAMPLES.set(cmd, [
      `${BIN} setup                                   # asks for what is missing`,
      `${BIN} setup --config prod.yaml --yes`,
      `KIBANA_URL=https://kb.example.com:5601 ELASTIC_API_KEY=… AZURE_SUBSCRIPTION_ID=… \\\n      ${BIN} setup --resource-group rg-soc --workspace soc-ws --non-interactive --yes --json`,
    ]);
    const go = run("setup", async () => (await import("./commands/setup.js")).runSetup);
    cmd.action((opts) => go(opts, flagMap));
  }
  // plan
  {
    const flagMap: FlagMap = new Map();
    const cmd = program
      .command("plan")
      .description("Show what setup would change, and change nothing (= setup --dry-run)");
    own(cmd, new Option("--detailed-exitcode", "Exit 0 when nothing would change, 2 when something would"));
    addAdoptOption(cmd);
    addCommonOptions(cmd, true);
    addInputOptions(cmd, flagMap, "plan", help);
    EXAMPLES.set(cmd, [
      `${BIN} plan`,
      `${BIN} plan --config prod.yaml --detailed-exitcode   # exit 2 when there is drift`,
      `${BIN} plan --json > plan.json`,
    ]);
    const go = run("plan", async () => (await import("./commands/setup.js")).runPlan, { dryRun: true });
    cmd.action((opts) => go(opts, flagMap));
  }
  // verify
  {
    const flagMap: FlagMap = new Map();
    const cmd = program.command("verify").description("Check every managed object and follow both paths end to end");
    own(cmd, new Option("--full", "Also follow a real test document through the detection rule (slower)"));
    own(
      cmd,
      new Option("--timeout <duration>", "Bound for the whole run, e.g. 90s, 15m, 1h [default 15m]").argParser(
        parseDuration,
      ),
    );
    own(cmd, new Option("--only <path>", "Check only one path").choices(["case", "alerts"]));
    own(
      cmd,
      new Option("--report <file.html>", "Also write the run as one self-contained HTML page (for CI to attach)"),
    );
    addCommonOptions(cmd, true);
    addInputOptions(cmd, flagMap, "verify", help);
    EXAMPLES.set(cmd, [
      `${BIN} verify`,
      `${BIN} verify --only case --timeout 5m`,
      `${BIN} verify --full --config prod.yaml --json`,
      `${BIN} verify --report verify-report.html   # CI: attach the page`,
    ]);
    const go = run("verify", async () => (await import("./commands/verify.js")).runVerify);
    cmd.action((opts) => go(opts, flagMap));
  }
  // teardown
  {
    const flagMap: FlagMap = new Map();
    const cmd = program
      .command("teardown")
      .description("Remove exactly what setup created for this prefix (asks first; --yes in CI)");
    own(cmd, new Option("--dry-run", "Print what would be removed and stop"));
    own(cmd, new Option("--delete-data", "Also delete the alerts table (it holds the forwarded alert history)"));
    own(cmd, new Option("--delete-resource-group", "Also delete the resource group, if setup created it"));
    own(cmd, new Option("--uninstall-packages", "Also uninstall the microsoft_sentinel Fleet package (the way back)"));
    addCommonOptions(cmd, true);
    addInputOptions(cmd, flagMap, "teardown", help);
    EXAMPLES.set(cmd, [
      `${BIN} teardown --dry-run`,
      `${BIN} teardown`,
      `${BIN} teardown --config prod.yaml --non-interactive --yes --delete-data`,
    ]);
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
    own(
      cmd,
      new Option(
        "--keep",
        "Keep the sandboxes running and print a config file and env lines to use them from another shell",
      ),
    );
    own(
      cmd,
      new Option("--portal <portal>", "Onboard the sandbox workspace to the Defender portal (defender) or not (azure)")
        .choices(["azure", "defender"])
        .default("azure"),
    );
    own(
      cmd,
      new Option("--timeout <duration>", "Bound for the end-to-end verification, e.g. 2m [default 15m]").argParser(
        parseDuration,
      ),
    );
    own(cmd, new Option("-y, --yes", "Accepted for scripts: demo never asks (it changes only its own sandboxes)"));
    addCommonOptions(cmd, false);
    EXAMPLES.set(cmd, [`${BIN} demo`, `${BIN} demo --portal defender`, `${BIN} demo --keep`, `${BIN} demo --json`]);
    const go = run("demo", async () => (await import("./commands/demo.js")).runDemo);
    cmd.action((opts) => go(opts, new Map()));
  }
  return program;
}

/** `teardown --rule-query x`: say the command does not read that input, rather than "unknown option". */
function unusedInputFlag(error: CommanderError, argv: readonly string[]): string | undefined {
  if (error.code !== "commander.unknownOption") return undefined;
  const flag = /'(--[^']+)'/.exec(error.message)?.[1]?.split("=")[0];
  const def = inputs.find((d) => d.flag && (flag === d.flag || flag === `--no-${d.flag.slice(2)}`));
  const command = argv.slice(2).find((a) => !a.startsWith("-"));
  if (!def || !command) return undefined;
  return `${command} does not read ${flag} (${def.key}): leave it out; \`${BIN} ${command} --help\` lists what it reads`;
}

/** Parse argv (process.argv shape) and run; resolves to the exit code. Never exits the process. */
export async function runCli(argv: readonly string[], deps: CommandDeps = {}): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const stderr = deps.stderr ?? process.stderr;
  try {
    refuseSecretFlags(argv.slice(2));
    // --help-all is --help with the advanced options listed too.
    const all = argv.includes("--help-all");
    const args = all ? argv.map((a) => (a === "--help-all" ? "--help" : a)) : [...argv];
    await buildProgram(
      deps,
      (c) => {
        exitCode = c;
      },
      { all },
    ).parseAsync(args);
    return exitCode;
  } catch (thrown) {
    let error = thrown;
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
      if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync") return error.exitCode;
      // A usage error is an input error: exit 3, printed like every other error.
      error = new InputError(
        unusedInputFlag(error, argv) ?? error.message.replace(/^error: /, "").replace(/\n/g, " "),
        {
          code: "USAGE",
          suggestion: `Run \`${BIN} --help\` or \`${BIN} <command> --help\` for the commands and their options.`,
        },
      );
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

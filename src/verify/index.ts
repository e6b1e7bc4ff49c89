/**
 * The end-to-end half of `verify` (the configuration checks are the engine's: re-planning and each step's
 * verify(), see commands/verify.ts), hop by hop:
 * 1. the case path (when case sync is on);
 * 2. the alert path, fast (a synthetic alert through the connector), when alert forwarding is on;
 * 3. the alert path, full (`--full`): the test document → a Kibana alert → the row → the incident.
 * One deadline (`--timeout`) bounds the whole run; waits poll with backoff and stop as soon as the evidence is there.
 */
import { randomUUID } from "node:crypto";
import type { Check, StepContext } from "../engine/types.js";
import { AbortedError } from "../errors.js";
import { elasticCasesUrlBase } from "../kibana/connector-bodies.js";
import { runAlertPathFast, runAlertPathFull } from "./alert-path.js";
import { type PathContext, runCasePath } from "./case-path.js";
import { runCasePathDefender } from "./case-path-defender.js";
import { factsOf } from "../steps/azure/facts.js";
import { createHopRunner } from "./hop.js";
import type { VerifyProbes } from "./probes.js";
import type { WaitClock } from "./wait.js";
import { formatDuration } from "../io/wait-progress.js";

export interface VerifyRunOptions {
  only?: "case" | "alerts";
  full?: boolean;
  /** Bound for the whole run, ms (default 15 min). */
  timeoutMs?: number;
  /** Defaults to probes over the live clients. */
  probes?: VerifyProbes;
  /** Called as each check finishes (progress). */
  onCheck?: (check: Check) => void;
}

export const DEFAULT_VERIFY_TIMEOUT_MS = 15 * 60_000;

export async function runVerification(ctx: StepContext, options: VerifyRunOptions): Promise<Check[]> {
  const { config } = ctx;
  const started = ctx.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS);
  const checks: Check[] = [];
  const probes = options.probes ?? (await (await import("./probes-live.js")).createLiveProbes(ctx));
  const clock: WaitClock = {
    now: ctx.now,
    sleep: (ms: number) => ctx.sleep(ms),
    signal: ctx.signal,
    io: ctx.io,
    bound: `--timeout ${formatDuration(options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS)}`,
  };
  const kibanaUrl = ctx.shared.kibana?.baseUrl ?? (await ctx.clients.kibana()).baseUrl;
  const space = config.elastic.space;
  // Defender mode (docs/defender.md): the incident hops look where Defender shows incidents.
  const facts = config.features.caseSync || config.features.alertForwarding ? safeFacts(ctx) : undefined;
  const defender = facts?.portal === "defender" ? { tenantId: facts.tenantId ?? config.azure.tenantId } : undefined;
  const base = (): Omit<PathContext, "runner"> => ({
    config,
    names: ctx.names,
    probes,
    clock,
    deadline,
    marker: `se-verify-${randomUUID()}`,
    kibanaCaseUrlBase: elasticCasesUrlBase(kibanaUrl, space),
    ...(defender ? { defender } : {}),
  });

  // A verify killed before its cleanup left its test case (and an open incident): remove it now.
  if (config.features.caseSync && probes.cleanLeftovers) {
    const t0 = ctx.now();
    const left = await probes.cleanLeftovers(t0);
    if (left.removed.length) {
      const check: Check = {
        id: "case.leftovers",
        title: "Kibana: test cases left by an interrupted verify removed",
        status: "pass",
        durationMs: ctx.now() - t0,
        evidence: `${left.removed.length} case(s) deleted, ${left.closed.length} incident(s) closed`,
      };
      checks.push(check);
      options.onCheck?.(check);
    }
  }
  const paths: Promise<Check[]>[] = [];
  if (config.features.caseSync && options.only !== "alerts") {
    const runner = createHopRunner(ctx.now, options.onCheck);
    const run = defender ? runCasePathDefender : runCasePath;
    paths.push(run({ ...base(), runner }).then(() => runner.checks));
  }
  if (config.features.alertForwarding && options.only !== "case") {
    const runner = createHopRunner(ctx.now, options.onCheck);
    paths.push(runAlertPathFast({ ...base(), runner }, kibanaUrl, space).then(() => runner.checks));
    if (options.full) {
      const full = createHopRunner(ctx.now, options.onCheck);
      paths.push(runAlertPathFull({ ...base(), runner: full }).then(() => full.checks));
    }
  }
  // The paths do not touch each other's objects: follow them concurrently, so the run takes as long as the slowest.
  for (const result of await Promise.all(paths)) checks.push(...result);
  // Hops cut short by Ctrl-C were not failures: the run was interrupted (exit 130), not verified false (exit 6).
  if (ctx.signal.aborted) {
    throw new AbortedError("Interrupted during verify: the checks still waiting were stopped, not failed.", {
      suggestion: "Re-run `sentinel-elastic verify` for a verdict.",
    });
  }
  return checks;
}

function safeFacts(ctx: StepContext) {
  try {
    return factsOf(ctx);
  } catch {
    return undefined;
  }
}

/**
 * Runs a container of actions (the workflow's top level, a Scope, a branch, one loop repetition) along its
 * `runAfter` graph: an action starts when every predecessor has finished, runs when each predecessor's status is
 * one it allows, and is Skipped otherwise; independent branches run concurrently.
 *
 * A container's status follows Azure's rule (learn.microsoft.com/azure/logic-apps/logic-apps-exception-handling,
 * "Manage the run after behavior"): look at each branch's last action; a Skipped one stands for its predecessors'
 * status; if any branch ends in failure the container (and, at top level, the run) is Failed. A failure that a
 * later action handles (runAfter Failed) does not fail the container.
 */
import { type ActionDef, parseDuration } from "./definition.js";
import { ACTION_FAILED, ActionError } from "./errors.js";
import { evaluateValue } from "./expression/evaluate.js";
import { TemplateError } from "./expression/values.js";
import type { ActionResult, Frame } from "./run-state.js";
import type { ActionStatus, RunError } from "./types.js";

export interface Outcome {
  status: ActionStatus;
  code: string;
  inputs?: unknown;
  outputs?: unknown;
  hasOutputs?: boolean;
  error?: RunError;
  retryHistory?: ActionResult["retryHistory"];
}

export interface ActionContext {
  name: string;
  def: ActionDef;
  frame: Frame;
  /** Evaluate the action's `inputs` (InvalidTemplate "… in action 'X' inputs …" on error). */
  inputs(): unknown;
  /** Evaluate another property (`expression`, `foreach`): InvalidTemplate "… for action 'X' …" on error. */
  evaluate(value: unknown): unknown;
  runContainer(
    actions: Record<string, ActionDef> | undefined,
    frame?: Frame,
  ): Promise<"Succeeded" | "Failed" | "Aborted">;
  /** Record the actions of a branch that was not taken as Skipped. */
  skipBranch(actions: Record<string, ActionDef> | undefined): void;
}

export type Executor = (ctx: ActionContext) => Promise<Outcome>;

const RUN_AFTER_STATUSES = ["Succeeded", "Failed", "Skipped", "TimedOut"];

export function normalizeStatus(s: string): string {
  return RUN_AFTER_STATUSES.find((x) => x.toLowerCase() === s.toLowerCase()) ?? s;
}

function invalidTemplate(where: string, err: unknown): never {
  if (err instanceof TemplateError)
    throw new ActionError(
      "InvalidTemplate",
      `Unable to process template language expressions ${where} at line '0' and column '0': '${err.message}'.`,
    );
  throw err;
}

/**
 * An action's `limit.timeout` (Until uses it for the whole loop instead): when it passes on the sandbox clock
 * before the action ends, the action is TimedOut and its late result is dropped.
 */
async function withTimeout(frame: Frame, name: string, def: ActionDef, work: Promise<Outcome>): Promise<Outcome> {
  const limit = def.limit?.timeout;
  const ms = limit && String(def.type).toLowerCase() !== "until" ? parseDuration(limit) : undefined;
  if (ms === undefined) return work;
  const clock = frame.run.host.clock;
  let timer: { cancel(): void } | undefined;
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = clock.after(ms, () =>
      resolve({
        status: "TimedOut",
        code: "ActionTimedOut",
        hasOutputs: false,
        error: {
          code: "ActionTimedOut",
          message: `The execution of template action '${name}' is not completed within the timeout value '${limit}'.`,
        },
      }),
    );
  });
  // The late outcome of a timed-out action is dropped, its failure included.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    timer?.cancel();
  }
}

export function createScheduler(executors: (type: string) => Executor | undefined) {
  function record(frame: Frame, name: string, def: ActionDef, startTime: string, o: Outcome): ActionResult {
    const r: ActionResult = {
      name,
      type: def.type,
      status: o.status,
      code: o.code,
      startTime,
      endTime: frame.run.now(),
      ...(o.error ? { error: o.error } : {}),
      ...(o.inputs !== undefined ? { inputs: o.inputs } : {}),
      ...(o.hasOutputs !== false && o.outputs !== undefined ? { outputs: o.outputs } : {}),
      ...(o.retryHistory?.length ? { retryHistory: o.retryHistory } : {}),
      ...(frame.repetition() ? { repetition: frame.repetition() } : {}),
      hasOutputs: o.hasOutputs ?? o.outputs !== undefined,
    };
    frame.store(r, def.runtimeConfiguration?.secureData?.properties);
    return r;
  }

  function skip(frame: Frame, name: string, def: ActionDef, error: RunError): void {
    const now = frame.run.now();
    record(frame, name, def, now, { status: "Skipped", code: "ActionSkipped", error, hasOutputs: false });
  }

  function skipBranch(frame: Frame, actions: Record<string, ActionDef> | undefined): void {
    for (const [name, def] of Object.entries(actions ?? {}))
      skip(frame, name, def, {
        code: "ActionBranchingConditionNotSatisfied",
        message: `The execution of template action '${name}' skipped: the branching condition for this action is not satisfied.`,
      });
  }

  async function execute(frame: Frame, name: string, def: ActionDef): Promise<ActionStatus> {
    const startTime = frame.run.now();
    frame.run.record.actions[name] = { name, type: def.type, status: "Running", code: "NotSpecified", startTime };
    const ctx: ActionContext = {
      name,
      def,
      frame,
      inputs: () => {
        try {
          return evaluateValue(def.inputs, frame.host(name));
        } catch (err) {
          return invalidTemplate(`in action '${name}' inputs`, err);
        }
      },
      evaluate: (value) => {
        try {
          return evaluateValue(value, frame.host(name));
        } catch (err) {
          return invalidTemplate(`for action '${name}'`, err);
        }
      },
      runContainer: (actions, f = frame) => runContainer(actions ?? {}, f),
      skipBranch: (actions) => skipBranch(frame, actions),
    };
    let o: Outcome;
    try {
      const exec = executors(def.type);
      if (!exec)
        throw new ActionError("InvalidTemplate", `The action type '${def.type}' of action '${name}' is not supported.`);
      o = await withTimeout(frame, name, def, exec(ctx));
    } catch (err) {
      if (err instanceof ActionError)
        o = {
          status: err.status,
          code: err.code,
          error: { code: err.code, message: err.message },
          outputs: err.outputs,
        };
      else
        o = {
          status: "Failed",
          code: "InternalServerError",
          error: { code: "InternalServerError", message: String(err) },
        };
    }
    return record(frame, name, def, startTime, o).status;
  }

  async function runContainer(
    actions: Record<string, ActionDef>,
    frame: Frame,
  ): Promise<"Succeeded" | "Failed" | "Aborted"> {
    const run = frame.run;
    const status = new Map<string, ActionStatus>();
    const pending = new Set(Object.keys(actions));
    const inflight = new Map<string, Promise<void>>();
    const after = (n: string) => Object.entries(actions[n]?.runAfter ?? {});
    for (;;) {
      let progressed = true;
      while (progressed && !run.terminated) {
        progressed = false;
        for (const n of pending) {
          const ra = after(n);
          if (!ra.every(([d]) => status.has(d))) continue;
          pending.delete(n);
          progressed = true;
          const bad = ra.find(([d, allowed]) => !allowed.map(normalizeStatus).includes(status.get(d)!));
          if (bad) {
            const [d, allowed] = bad;
            skip(frame, n, actions[n]!, {
              code: "ActionConditionFailed",
              message: `The execution of template action '${n}' is skipped: the 'runAfter' condition for action '${d}' is not satisfied. Expected status values '${allowed.map(normalizeStatus).join(", ")}' and actual value '${status.get(d)}'.`,
            });
            status.set(n, "Skipped");
          } else {
            inflight.set(
              n,
              execute(frame, n, actions[n]!).then((s) => {
                status.set(n, s);
                inflight.delete(n);
              }),
            );
          }
        }
      }
      if (inflight.size === 0) break;
      await Promise.race(inflight.values());
    }
    if (run.terminated) return "Aborted";
    const names = Object.keys(actions).filter((n) => status.has(n));
    const failed = (n: string, seen = new Set<string>()): boolean => {
      if (seen.has(n)) return false;
      seen.add(n);
      const s = status.get(n);
      if (s === "Skipped") return after(n).some(([d]) => failed(d, seen));
      return s === "Failed" || s === "TimedOut" || s === "Cancelled" || s === "Aborted";
    };
    const terminals = names.filter((n) => !names.some((m) => after(m).some(([d]) => d === n)));
    return terminals.some((n) => failed(n)) ? "Failed" : "Succeeded";
  }

  return { runContainer, skipBranch };
}

/** The outcome of a container action (Scope, If, Switch, loops) from its container status. */
export function containerOutcome(status: "Succeeded" | "Failed" | "Aborted", inputs?: unknown): Outcome {
  if (status === "Succeeded") return { status: "Succeeded", code: "NotSpecified", inputs, hasOutputs: false };
  if (status === "Aborted") return { status: "Aborted", code: "Terminated", inputs, hasOutputs: false };
  return { status: "Failed", code: "ActionFailed", error: { ...ACTION_FAILED }, inputs, hasOutputs: false };
}

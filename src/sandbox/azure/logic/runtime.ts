/**
 * The runtime: runs a deployed workflow for a call to its Request trigger and keeps its run history.
 * The caller's answer: the Response action's when it runs; 202 at once when the definition has no Response
 * action; otherwise, when the run ends without answering, 502 NoResponse (Azure's "a skipped Response action
 * results in 502 Bad Gateway"), and 504 after Consumption's 120 s synchronous-response limit
 * (learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config, "Request trigger" timeouts).
 */
import { type WorkflowDefinition, flattenActions } from "./definition.js";
import { ACTION_FAILED } from "./errors.js";
import { evaluateValue } from "./expression/evaluate.js";
import { TemplateError } from "./expression/values.js";
import { executorFor } from "./actions/index.js";
import { Frame, Run } from "./run-state.js";
import { createScheduler } from "./scheduler.js";
import { checkRequest } from "./trigger.js";
import type { LogicHost, LogicRuntime, RunRecord, TriggerResponse } from "./types.js";
import { validateDefinition } from "./validate.js";
import { formatTimestamp } from "./functions/dates.js";

export const RESPONSE_TIMEOUT_MS = 120_000;
/** Runs kept per workflow (Azure keeps 90 days; a long demo should not grow without bound). */
export const MAX_RUNS_PER_WORKFLOW = 1000;

const JSON_TYPE = { "Content-Type": "application/json; charset=utf-8" };
const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

let runCounter = 0;
/** Run names look like Azure's: 29 digits and "CU" + a scale-unit number, e.g. 08584737551867954143243946780CU57. */
function newRunName(now: number): string {
  runCounter = (runCounter + 1) % 1_000_000;
  const digits = `08584${String(now).padStart(14, "0").slice(-14)}${String(runCounter).padStart(6, "0")}${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}`;
  return `${digits}CU${String(Math.floor(Math.random() * 100)).padStart(2, "0")}`;
}

function parameterValues(
  def: WorkflowDefinition,
  given: Record<string, { value: unknown }> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(def.parameters ?? {}))
    if (p && "defaultValue" in p) out[name] = p.defaultValue;
  for (const [name, p] of Object.entries(given ?? {})) out[name] = p?.value;
  return out;
}

export function createLogicRuntime(host: LogicHost): LogicRuntime {
  const history = new Map<string, RunRecord[]>();
  const active = new Set<Promise<void>>();
  const { runContainer } = createScheduler(executorFor);
  const key = (id: string) => id.toLowerCase();
  /** Trigger concurrency per workflow: runs in progress and runs waiting for a slot. */
  const gates = new Map<string, { running: number; waiting: (() => void)[] }>();

  async function execute(run: Run, def: WorkflowDefinition, hasResponse: boolean): Promise<void> {
    const rec = run.record;
    try {
      const root = new Frame(run);
      const status = await runContainer(def.actions ?? {}, root);
      if (run.terminated) {
        rec.status = run.terminated.status;
        rec.code = run.terminated.status === "Succeeded" ? "NotSpecified" : "Terminated";
        if (run.terminated.error) rec.error = run.terminated.error;
      } else if (status === "Failed") {
        rec.status = "Failed";
        rec.code = ACTION_FAILED.code;
        rec.error = { ...ACTION_FAILED };
      } else rec.status = "Succeeded";
      if (def.outputs && Object.keys(def.outputs).length) {
        // The definition's outputs are evaluated once the actions are done; a bad expression fails the run.
        const outputs: NonNullable<RunRecord["outputs"]> = {};
        try {
          for (const [name, o] of Object.entries(def.outputs)) {
            const out = (o ?? {}) as { type?: string; value?: unknown };
            outputs[name] = {
              ...(out.type ? { type: out.type } : {}),
              value: evaluateValue(out.value, root.host("outputs")),
            };
          }
          rec.outputs = outputs;
        } catch (err) {
          if (!(err instanceof TemplateError)) throw err;
          rec.status = "Failed";
          rec.code = "InvalidTemplate";
          rec.error = {
            code: "InvalidTemplate",
            message: `Unable to process template language expressions in the workflow outputs: '${err.message}'.`,
          };
        }
      }
    } catch (err) {
      rec.status = "Failed";
      rec.code = "InternalServerError";
      rec.error = { code: "InternalServerError", message: err instanceof Error ? err.message : String(err) };
    }
    rec.endTime = run.now();
    if (hasResponse && !run.responded)
      run.respond({
        status: 502,
        headers: { ...JSON_TYPE },
        body: errorBody(
          "NoResponse",
          `The server did not receive a response from an upstream server. Request tracking id '${rec.name}'.`,
        ),
      });
  }

  return {
    validate: (definition, parameters) => validateDefinition(definition, parameters),

    async invoke(wf, triggerName, req) {
      const def = (wf.definition ?? {}) as WorkflowDefinition;
      const entry = Object.entries(def.triggers ?? {}).find(([n]) => n.toLowerCase() === triggerName.toLowerCase());
      if (!entry)
        return {
          status: 404,
          headers: { ...JSON_TYPE },
          body: errorBody(
            "WorkflowTriggerNotFound",
            `The workflow '${wf.name}' trigger '${triggerName}' could not be found.`,
          ),
        };
      const [name, trigger] = entry;
      if (wf.state !== "Enabled")
        return {
          status: 404,
          headers: { ...JSON_TYPE },
          body: errorBody("WorkflowNotEnabled", `The workflow '${wf.name}' is disabled.`),
        };
      if (String(trigger.type).toLowerCase() !== "request")
        return {
          status: 400,
          headers: { ...JSON_TYPE },
          body: errorBody(
            "TriggerTypeNotSupported",
            `The trigger '${name}' of type '${trigger.type}' cannot be called.`,
          ),
        };
      const check = checkRequest(name, trigger, req);
      if (!check.ok) return check.response;
      const limit = trigger.runtimeConfiguration?.concurrency;
      const gate = gates.get(key(wf.id)) ?? { running: 0, waiting: [] };
      gates.set(key(wf.id), gate);
      const mustWait = limit?.runs !== undefined && gate.running >= limit.runs;
      if (mustWait && gate.waiting.length >= (limit?.maximumWaitingRuns ?? 100))
        return {
          status: 429,
          headers: { ...JSON_TYPE, "Retry-After": "10" },
          body: errorBody(
            "TooManyWaitingRuns",
            `The workflow '${wf.name}' already has the maximum number of waiting runs (${limit?.maximumWaitingRuns ?? 100}).`,
          ),
        };

      const now = formatTimestamp(host.clock.now());
      const runName = newRunName(host.clock.now());
      const record: RunRecord = {
        name: runName,
        workflowId: wf.id,
        status: mustWait ? "Waiting" : "Running",
        startTime: now,
        trigger: {
          name,
          status: "Succeeded",
          code: "OK",
          startTime: now,
          endTime: now,
          inputs: check.inputs,
          outputs: check.outputs,
        },
        actions: {},
        repetitions: {},
      };
      const list = history.get(key(wf.id)) ?? [];
      list.unshift(record);
      if (list.length > MAX_RUNS_PER_WORKFLOW) list.length = MAX_RUNS_PER_WORKFLOW;
      history.set(key(wf.id), list);

      const runHeaders = {
        "x-ms-workflow-run-id": runName,
        "x-ms-correlation-id": crypto.randomUUID(),
        "x-ms-client-tracking-id": runName,
        "x-ms-trigger-history-name": runName,
        "x-ms-request-id": crypto.randomUUID(),
      };
      let answer!: (r: TriggerResponse) => void;
      const answered = new Promise<TriggerResponse>((r) => {
        answer = r;
      });
      let timer: { cancel(): void } | undefined;
      const respond = (r: TriggerResponse) => {
        if (run.responded) return;
        run.responded = true;
        timer?.cancel();
        const sent = { ...r, headers: { ...r.headers, ...runHeaders } };
        record.response = sent;
        answer(sent);
      };
      const triggerObject = { ...record.trigger, trackingId: runName, clientTrackingId: runName };
      const defs = flattenActions(def.actions);
      const run = new Run(wf, host, record, triggerObject, parameterValues(def, wf.parameters), defs, respond);
      const hasResponse = [...defs.values()].some((e) => String(e.def.type).toLowerCase() === "response");
      if (!hasResponse) respond({ status: 202, headers: {}, body: "" });
      else
        timer = host.clock.after(RESPONSE_TIMEOUT_MS, () =>
          respond({
            status: 504,
            headers: { ...JSON_TYPE },
            body: errorBody(
              "GatewayTimeout",
              `The workflow did not respond within ${RESPONSE_TIMEOUT_MS / 1000} seconds. Request tracking id '${runName}'.`,
            ),
          }),
        );
      // A run past the trigger's concurrency limit waits for a slot (status Waiting), in arrival order.
      const start = async () => {
        if (mustWait) {
          await new Promise<void>((resolve) => gate.waiting.push(resolve));
          record.status = "Running";
          record.waitEndTime = run.now();
        }
        gate.running++;
        try {
          await execute(run, def, hasResponse);
        } finally {
          gate.running--;
          gate.waiting.shift()?.();
        }
      };
      const p: Promise<void> = start().finally(() => {
        active.delete(p);
        timer?.cancel();
      });
      active.add(p);
      return answered;
    },

    runs: (workflowId) => [...(history.get(key(workflowId)) ?? [])],
    run: (workflowId, runId) => history.get(key(workflowId))?.find((r) => r.name === runId),
    async idle() {
      while (active.size) await Promise.allSettled([...active]);
    },
  };
}

/**
 * ARM bodies for the run history endpoints, from the runtime's records:
 * `GET …/workflows/{wf}/runs[/{run}]` and `GET …/runs/{run}/actions[/{action}]` (api 2016-06-01 / 2019-05-01,
 * models `WorkflowRun` and `WorkflowRunAction` in azure-rest-api-specs `logic/…/stable/2019-05-01/logic.json`).
 * Real ARM returns `inputsLink`/`outputsLink` content links; the sandbox also inlines `inputs`/`outputs` so that
 * tests can read them without a second endpoint.
 */
import type { ActionRecord, RunRecord } from "./types.js";

export function toArmRun(run: RunRecord): Record<string, unknown> {
  return {
    id: `${run.workflowId}/runs/${run.name}`,
    name: run.name,
    type: "Microsoft.Logic/workflows/runs",
    properties: {
      waitEndTime: run.waitEndTime ?? run.startTime,
      startTime: run.startTime,
      ...(run.endTime ? { endTime: run.endTime } : {}),
      status: run.status,
      ...(run.code ? { code: run.code } : {}),
      ...(run.error ? { error: run.error } : {}),
      correlation: { clientTrackingId: run.name },
      workflow: { id: run.workflowId, name: run.workflowId.split("/").pop(), type: "Microsoft.Logic/workflows" },
      trigger: {
        name: run.trigger.name,
        startTime: run.trigger.startTime,
        endTime: run.trigger.endTime,
        trackingId: run.name,
        clientTrackingId: run.name,
        code: run.trigger.code,
        status: run.trigger.status,
        ...(run.trigger.inputs !== undefined ? { inputs: run.trigger.inputs } : {}),
        ...(run.trigger.outputs !== undefined ? { outputs: run.trigger.outputs } : {}),
      },
      outputs: run.outputs ?? {},
    },
  };
}

export function toArmRunAction(run: RunRecord, action: ActionRecord): Record<string, unknown> {
  return {
    id: `${run.workflowId}/runs/${run.name}/actions/${action.name}`,
    name: action.name,
    type: "Microsoft.Logic/workflows/runs/actions",
    properties: {
      startTime: action.startTime,
      ...(action.endTime ? { endTime: action.endTime } : {}),
      status: action.status,
      code: action.code,
      ...(action.error ? { error: action.error } : {}),
      trackingId: `${run.name}-${action.name}`,
      correlation: { actionTrackingId: `${run.name}-${action.name}`, clientTrackingId: run.name },
      // RetryHistory.error is an ErrorResponse: {error: {code, message}}.
      ...(action.retryHistory?.length
        ? {
            retryHistory: action.retryHistory.map(({ error, ...h }) => ({
              ...h,
              ...(error ? { error: { error } } : {}),
            })),
          }
        : {}),
      ...(action.inputs !== undefined ? { inputs: action.inputs } : {}),
      ...(action.outputs !== undefined ? { outputs: action.outputs } : {}),
    },
  };
}

/** `GET …/runs/{run}/actions` body: every action of the run (loop actions show their last repetition). */
export function toArmRunActions(run: RunRecord): { value: Record<string, unknown>[] } {
  return { value: Object.values(run.actions).map((a) => toArmRunAction(run, a)) };
}

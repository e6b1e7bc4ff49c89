/**
 * Logic Apps (Consumption) runtime for the Azure sandbox: runs a deployed workflow's definition when its
 * Request trigger is called, and keeps the run history ARM reports.
 *
 * Wiring (control plane):
 *   const logic = createLogicRuntime(host);
 *   on deploy:        logic.validate(definition, properties.parameters) → fail the deployment naming each problem
 *   on trigger call:  logic.invoke(workflow, triggerName, request)      → after checking `sig`; strip the signature
 *                     query parameters (api-version, sp, sv, sig) from `request.query`
 *   runs endpoints:   logic.runs(id) / logic.run(id, runName)           → toArmRun / toArmRunActions / toArmRunAction;
 *                     `RunRecord.repetitions` holds loop repetitions for `…/actions/{name}/repetitions`
 *   teardown/tests:   await logic.idle()                                → every started run has finished
 *
 * Layout: expression/ (parser, evaluation, values), functions/ (the WDL function table), actions/ (one file per
 * family of action types), scheduler.ts (runAfter graph and container status), run-state.ts (run and frames),
 * trigger.ts (Request trigger), runtime.ts (invoke, trigger concurrency, responses, history), validate*.ts.
 */
export type {
  ActionRecord,
  ActionStatus,
  DeployedWorkflow,
  HostConnection,
  HostHttpRequest,
  HostHttpResponse,
  LogicHost,
  LogicRuntime,
  RunError,
  RunRecord,
  RunStatus,
  TriggerRequest,
  TriggerResponse,
} from "./types.js";
export { createLogicRuntime } from "./runtime.js";
export { toArmRun, toArmRunAction, toArmRunActions } from "./arm-shape.js";

/**
 * Logic Apps (Consumption) runtime for the Azure sandbox: runs a deployed workflow's definition when its
 * Request trigger is called, and keeps the run history ARM reports. See issue 5.
 *
 * Wiring (control plane):
 *   const logic = createLogicRuntime(host);
 *   on deploy:        const problems = logic.validate(definition)   → fail the deployment naming them
 *   on trigger call:  logic.invoke(workflow, triggerName, request)  → (after checking `sig` and state)
 *   runs endpoints:   logic.runs(id) / logic.run(id, runName)       → toArmRun / toArmRunAction for the bodies
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

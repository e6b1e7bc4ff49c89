/**
 * Public types of the Logic Apps (Consumption) runtime. The runtime executes a workflow's stored definition
 * the way Azure does; the Azure control plane hosts it (trigger callback URL, ARM runs endpoints) and gives it
 * a `LogicHost` for everything outside the workflow: time, HTTP, identities and API connections.
 */
import type { SandboxClock } from "../../common/clock.js";

export interface HostHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HostHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HostConnection {
  status: "Connected" | "Error";
  authentication: "ManagedServiceIdentity" | "OAuth";
  /** A bearer token to act as the connection (MI connections: the workflow identity; OAuth: the consenting user). */
  token(audience: string): Promise<string>;
}

export interface LogicHost {
  clock: SandboxClock;
  /** Real HTTP for Http actions (the host knows the sandbox CA). */
  http(req: HostHttpRequest): Promise<HostHttpResponse>;
  /** Token for a workflow's system-assigned identity (Http actions with authentication ManagedServiceIdentity). */
  managedIdentityToken(workflowId: string, audience: string): Promise<string>;
  /** Managed API connection lookup for ApiConnection actions (azuresentinel), by connection resource id. */
  connection(connectionId: string): Promise<HostConnection | undefined>;
  /** ARM base URL for the azuresentinel connector's Sentinel calls, e.g. `https://127.0.0.1:4443`. */
  resourceManager: string;
}

export interface DeployedWorkflow {
  /** ARM resource id of the workflow. */
  id: string;
  name: string;
  definition: unknown;
  /** The workflow resource's `properties.parameters` (values for the definition's parameters, `$connections`…). */
  parameters?: Record<string, { value: unknown }>;
  state: "Enabled" | "Disabled";
  principalId?: string;
  location?: string;
}

export interface TriggerRequest {
  method: string;
  /** The part of the path after `/paths/invoke`, e.g. `/cases/42` (for triggers with `relativePath`). */
  relativePath?: string;
  /** Query parameters minus the signature ones (`api-version`, `sp`, `sv`, `sig`) — the host strips those. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

export interface TriggerResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Run and action statuses as ARM reports them. */
export type RunStatus = "Waiting" | "Running" | "Succeeded" | "Failed" | "Cancelled";
export type ActionStatus = "Running" | "Succeeded" | "Failed" | "Skipped" | "TimedOut" | "Cancelled" | "Aborted";

export interface RunError {
  code: string;
  message: string;
}

/** One action execution (one repetition for actions inside a Foreach/Until). Shaped like ARM's run action. */
export interface ActionRecord {
  name: string;
  type: string;
  status: ActionStatus;
  /** ARM `code`: the HTTP status name for HTTP-like actions ("OK", "Forbidden"), "ActionSkipped", "NotSpecified"… */
  code: string;
  startTime: string;
  endTime?: string;
  error?: RunError;
  inputs?: unknown;
  outputs?: unknown;
  /** Retries made by Http/ApiConnection actions, as ARM's `retryHistory`. */
  retryHistory?: { startTime: string; endTime: string; code: string; error?: RunError }[];
  /** For actions inside a loop: the repetition index chain (outer first). */
  repetition?: number[];
}

/** One workflow run. Shaped like ARM's `Microsoft.Logic/workflows/runs` properties. */
export interface RunRecord {
  /** Run name (ARM: `name`), also the `x-ms-workflow-run-id` header. */
  name: string;
  workflowId: string;
  status: RunStatus;
  startTime: string;
  /** When a run that waited for the trigger's concurrency limit started running. */
  waitEndTime?: string;
  endTime?: string;
  /** ARM `code`: the error code of a failed run ("ActionFailed", "Terminated"…) or "NotSpecified". */
  code?: string;
  error?: RunError;
  trigger: {
    name: string;
    status: "Succeeded" | "Failed";
    code: string;
    startTime: string;
    endTime: string;
    inputs?: unknown;
    outputs?: unknown;
  };
  /** Top-level actions, then nested ones, by name; loop repetitions are in `repetitions`. */
  actions: Record<string, ActionRecord>;
  /** Repetitions of actions inside Foreach/Until, per action name. */
  repetitions: Record<string, ActionRecord[]>;
  /** The HTTP response sent to the trigger's caller, once sent. */
  response?: TriggerResponse;
  /** The workflow definition's `outputs`, evaluated at the end of the run. */
  outputs?: Record<string, { type?: string; value: unknown }>;
}

export interface LogicRuntime {
  /**
   * Check a workflow definition before deployment. Returns one message per unsupported trigger/action type,
   * unsupported expression function, malformed expression or bad `runAfter`; empty when the runtime can run it.
   * The control plane fails the deployment with these messages (code `InvalidTemplate`/`WorkflowDefinitionInvalid`).
   * With the workflow resource's `parameters`, also checks that every definition parameter without a default
   * gets a value and that no value names an undeclared parameter.
   */
  validate(definition: unknown, parameters?: Record<string, { value: unknown }>): string[];
  /**
   * Run a workflow for a call to its trigger. Resolves with the HTTP answer for the caller: the Response action's
   * (when it runs), 202 at once when the definition has no Response action, or the Logic Apps error (400 schema
   * mismatch, 404 method/path mismatch, 502 when the Response was skipped or failed). Always carries
   * `x-ms-workflow-run-id` once a run was created. The run itself may go on after the answer.
   */
  invoke(wf: DeployedWorkflow, trigger: string, req: TriggerRequest): Promise<TriggerResponse>;
  /** Runs of a workflow, newest first. */
  runs(workflowId: string): RunRecord[];
  run(workflowId: string, runId: string): RunRecord | undefined;
  /** Resolves when every run started so far has finished (tests and the control plane's teardown). */
  idle(): Promise<void>;
}

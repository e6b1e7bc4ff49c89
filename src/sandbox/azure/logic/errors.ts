/** Failures of an action, carrying the code and message Azure reports in the run history. */
import type { ActionStatus } from "./types.js";

export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: ActionStatus = "Failed",
    /** Outputs to keep on the failed action (e.g. the HTTP response of a failed Http action). */
    readonly outputs?: unknown,
  ) {
    super(message);
  }
}

export const ACTION_FAILED = { code: "ActionFailed", message: "An action failed. No dependent actions succeeded." };

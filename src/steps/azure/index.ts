/** The azure steps of setup, in order. Owned by the azure-side engineer; empty until built. */
import type { Step } from "../../engine/types.js";

export const azurePreflightSteps: Step[] = [];
export const azureSteps: Step[] = [];

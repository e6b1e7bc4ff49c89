/** The kibana steps of setup, in order. Owned by the kibana-side engineer; empty until built. */
import type { Step } from "../../engine/types.js";

export const kibanaPreflightSteps: Step[] = [];
export const kibanaSteps: Step[] = [];

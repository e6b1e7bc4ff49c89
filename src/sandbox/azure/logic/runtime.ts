import type { LogicHost, LogicRuntime } from "./types.js";

export function createLogicRuntime(_host: LogicHost): LogicRuntime {
  throw new Error("the Logic Apps runtime is being built (issue 5)");
}

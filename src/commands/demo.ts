/** `demo`: sandboxes in-process, setup, verify --full (issue 8). Not built yet. */
import { NotImplementedError } from "../errors.js";
import { type CommandDeps, type CommandResult, type CommonOptions, commandIo } from "./context.js";

export interface DemoOptions extends Pick<CommonOptions, "json" | "debug"> {
  keep?: boolean;
}

export async function runDemo(options: DemoOptions, deps: CommandDeps = {}): Promise<CommandResult> {
  commandIo("demo", options, deps);
  throw new NotImplementedError(
    "demo",
    "It lands with the sandbox and demo issues (it needs the Kibana, Elasticsearch and Azure sandboxes). Run `npm test` meanwhile.",
  );
}

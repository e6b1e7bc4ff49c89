/**
 * Run tasks in dependency order: a task starts once every task it is `after` has finished; tasks with no path
 * between them run concurrently. After a failure or an abort no new task starts; running ones are awaited, so
 * the caller can say exactly what was done and what was not.
 */
import { SentinelElasticError } from "../errors.js";

export interface GraphNode {
  id: string;
  after?: string[];
}

export interface GraphResult {
  done: string[];
  failed: { id: string; error: unknown }[];
  notStarted: string[];
}

export async function runGraph<T extends GraphNode>(
  nodes: readonly T[],
  run: (node: T) => Promise<void>,
  options: { signal?: AbortSignal } = {},
): Promise<GraphResult> {
  const ids = new Set(nodes.map((n) => n.id));
  // Dependencies on steps that are not part of this run (disabled by a feature flag) are already satisfied.
  const deps = new Map(nodes.map((n) => [n.id, (n.after ?? []).filter((d) => ids.has(d))]));
  const done: string[] = [];
  const failed: GraphResult["failed"] = [];
  const pending = [...nodes];
  const running = new Map<string, Promise<void>>();

  const startable = () =>
    failed.length === 0 && !options.signal?.aborted
      ? pending.filter((n) => deps.get(n.id)!.every((d) => done.includes(d)))
      : [];

  for (;;) {
    for (const node of startable()) {
      pending.splice(pending.indexOf(node), 1);
      const p = (async () => run(node))().then(
        () => {
          done.push(node.id);
        },
        (error: unknown) => {
          failed.push({ id: node.id, error });
        },
      );
      running.set(
        node.id,
        p.finally(() => running.delete(node.id)),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  if (pending.length > 0 && failed.length === 0 && !options.signal?.aborted) {
    throw new SentinelElasticError(`steps depend on each other in a cycle: ${pending.map((n) => n.id).join(", ")}`, {
      code: "STEP_CYCLE",
      suggestion: "This is a bug in the step order (src/steps); please report it.",
    });
  }
  return { done, failed, notStarted: pending.map((n) => n.id) };
}

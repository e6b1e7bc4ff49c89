/** Build the StepContext a run hands to its steps. */
import { setTimeout as delay } from "node:timers/promises";
import type { ResolvedConfig } from "../config/schema.js";
import { AbortedError } from "../errors.js";
import type { IoHost } from "../io/io-host.js";
import { resolveNames } from "../names.js";
import { type ClientOverrides, createClients } from "./clients.js";
import { createSharedState } from "./shared-state.js";
import type { StepContext } from "./types.js";

export interface StepContextOptions {
  config: ResolvedConfig;
  io: IoHost;
  overrides?: ClientOverrides;
  signal?: AbortSignal;
  now?: () => number;
  /** Replaces real-time waiting (demo: the sandbox clock); still stops on the signal. */
  sleep?: (ms: number) => Promise<void>;
}

export function createStepContext(options: StepContextOptions): StepContext {
  const signal = options.signal ?? new AbortController().signal;
  const { io } = options;
  const sleep = async (ms: number) => {
    if (signal.aborted) throw new AbortedError("Interrupted while waiting.");
    if (options.sleep) return options.sleep(ms);
    try {
      await delay(ms, undefined, { signal });
    } catch (error) {
      if (signal.aborted) throw new AbortedError("Interrupted while waiting.");
      throw error;
    }
  };
  const overrides: ClientOverrides = {
    // The clients' retries wait as the steps do: on the run's clock, and stopped by Ctrl-C.
    sleep,
    ...options.overrides,
    onHttp: (event) => {
      // --debug: one line per HTTP call (io.message redacts the URL; debug lines only show with --debug).
      const status = event.status ?? event.error ?? "no response";
      io.message(
        "debug",
        `${event.remote} ${event.method} ${event.url} → ${status} (${Math.round(event.durationMs)} ms)`,
      );
      options.overrides?.onHttp?.(event);
    },
  };
  return {
    config: options.config,
    names: resolveNames(options.config),
    io,
    clients: createClients(options.config, overrides),
    shared: createSharedState(),
    signal,
    now: options.now ?? Date.now,
    sleep,
  };
}

/**
 * What the wizard's sections share: the values resolved so far (by config key, as the config loader keeps them),
 * where each came from, the IoHost, and the caller's client overrides. Answers are set here, so secrets are
 * registered for redaction the moment they are typed.
 */
import type { InputSource } from "../config/load.js";
import { findInput, type PartialConfig } from "../config/registry.js";
import type { ClientOverrides } from "../engine/client-options.js";
import { AbortedError, type SentinelElasticError, isSentinelElasticError } from "../errors.js";
import type { IoHost } from "../io/io-host.js";
import { registerSecret } from "../redact.js";

/** How many times a person may get an answer wrong before the wizard stops asking (never an endless loop). */
export const MAX_TRIES = 5;

export interface WizardOptions {
  io: IoHost;
  env: NodeJS.ProcessEnv;
  cwd: string;
  overrides: ClientOverrides;
  /** Aborted on Ctrl-C between prompts (during a check): no further question is asked. */
  signal?: AbortSignal;
  /** How to wait between retries of a list call (the run's clock; default real time). */
  sleep?: (ms: number) => Promise<void>;
  /** The current subscription of the Azure CLI, when it has one (default: `az account show`). */
  currentAzSubscription?: () => Promise<string | undefined>;
}

export class WizardState {
  /** Questions already put once that are not worth repeating (the optional Cloud ID). */
  readonly offered = new Set<string>();

  /** The host, except that a question after Ctrl-C (pressed while a check ran) stops the wizard instead. */
  readonly io: IoHost;

  constructor(
    readonly values: Record<string, unknown>,
    readonly sources: Record<string, InputSource>,
    readonly options: WizardOptions,
  ) {
    const host = options.io;
    const signal = options.signal;
    this.io = new Proxy(host, {
      get(target, prop) {
        if (prop === "ask")
          return (q: Parameters<IoHost["ask"]>[0]) => {
            if (signal?.aborted) throw new AbortedError("Interrupted: nothing was changed.");
            return target.ask(q);
          };
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  get(key: string): unknown {
    return this.values[key];
  }

  str(key: string): string | undefined {
    const v = this.values[key];
    return typeof v === "string" && v !== "" ? v : undefined;
  }

  /** Given by the user (flag, env, file or an earlier answer), not a registry default. */
  given(key: string): boolean {
    return this.values[key] !== undefined && this.sources[key] !== "default";
  }

  set(key: string, value: unknown): void {
    if (findInput(key)?.secret && typeof value === "string") registerSecret(value);
    this.values[key] = value;
    this.sources[key] = "prompt";
  }

  unset(...keys: string[]): void {
    for (const k of keys) {
      delete this.values[k];
      delete this.sources[k];
    }
  }

  /** The nested config as far as it goes (for the clients and the registry's `required`). */
  partial(): PartialConfig {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.values)) {
      const parts = key.split(".");
      let node = out;
      for (const p of parts.slice(0, -1)) {
        node[p] ??= {};
        node = node[p] as Record<string, unknown>;
      }
      node[parts.at(-1)!] = value;
    }
    return out;
  }

  header(title: string, index: number, total: number): void {
    this.io.message("info", "");
    this.io.message("info", `${title} (${index}/${total})`);
  }

  /**
   * A list to choose from, or an empty one when it cannot be read (no permission to list, a network problem):
   * the question is still asked, and a typed answer works.
   */
  async listOr<T>(what: string, read: () => Promise<T[]>): Promise<T[]> {
    try {
      return await read();
    } catch (error) {
      this.io.message(
        "warn",
        `Could not list ${what}: ${describeProblem(error).split("\n")[0]} Type the answer instead.`,
      );
      return [];
    }
  }

  /** Say what was wrong with an answer and what to do, before asking again. */
  problem(error: unknown): void {
    this.io.message("warn", describeProblem(error));
  }
}

export function describeProblem(error: unknown): string {
  if (isSentinelElasticError(error)) {
    const e = error as SentinelElasticError;
    return e.suggestion ? `${e.message}\n  ${e.suggestion}` : e.message;
  }
  return error instanceof Error ? error.message : String(error);
}

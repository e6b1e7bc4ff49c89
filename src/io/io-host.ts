/**
 * The one seam between logic and the person (or CI) running us. Steps never import @inquirer/prompts:
 * they ask the IoHost. Three hosts implement it: interactive (prompts on a terminal), non-interactive
 * (answers from config/defaults or fails naming the input to set; never prompts, never hangs) and a test host.
 *
 * Progress and messages go to stderr; results to stdout (see io/output.ts).
 */

export interface Choice<T extends string = string> {
  value: T;
  name: string;
  description?: string;
}

/** What every question carries besides its kind. */
interface QuestionBase {
  /** Stable code, e.g. `input.elastic.kibanaUrl`, used by the test host and in errors. */
  code: string;
  message: string;
  /** One line saying why we ask (shown above the prompt by the interactive host). */
  why?: string;
}

export type Question =
  | (QuestionBase & {
      kind: "text";
      default?: string;
      secret?: boolean;
      /** Return true when valid, or a message saying what to change. */
      validate?: (value: string) => true | string;
    })
  | (QuestionBase & {
      kind: "select";
      choices: Choice[];
      default?: string;
    })
  | (QuestionBase & {
      /**
       * A list that filters as you type; what is typed is an answer too (paste a GUID, type a name that is
       * not listed), checked by `validate`. Non-interactive hosts never list: they answer the default or fail.
       */
      kind: "search";
      choices: Choice[];
      default?: string;
      validate?: (value: string) => true | string;
    })
  | (QuestionBase & {
      kind: "confirm";
      default: boolean;
      /** Destructive confirmations are never approved automatically without --yes. */
      destructive?: boolean;
    });

export type Answer<Q extends Question> = Q extends { kind: "confirm" } ? boolean : string;

export interface Progress {
  /** Update the running line. */
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  /** Finished without success or failure (skipped, no-op). */
  stop(text?: string): void;
  /** Finished, and the caller reports the outcome itself: the line goes away, nothing is printed. */
  dismiss?(): void;
}

export type Level = "info" | "warn" | "error" | "debug" | "success";

export interface IoHost {
  /** True when questions can be put to a person. */
  readonly interactive: boolean;
  /** True when --yes was given: defaults and confirmations are accepted (destructive ones included). */
  readonly assumeYes: boolean;
  ask<Q extends Question>(question: Q): Promise<Answer<Q>>;
  /** A line on stderr (redacted). `debug` only shows with --debug. */
  message(level: Level, text: string): void;
  /**
   * A spinner on a terminal, plain lines otherwise; on stderr. `elapsed`: the live line also shows how long the
   * task has run, in real time (for steps being applied; waits say their own elapsed time).
   */
  progress(text: string, options?: { elapsed?: boolean }): Progress;
  /** Result text on stdout (suppressed with --json, where the final document is the result). */
  result(text: string): void;
  /** Progress redraws one line in place (a terminal); otherwise each update is a new line. */
  readonly live?: boolean;
  /** The command is over: stop what still spins, clear its line. */
  close?(): void;
}

/**
 * Where text goes: progress and messages on stderr, results on stdout. Every line passes through `redact()`.
 * Colour only on a terminal, never with NO_COLOR, TERM=dumb or --json (chalk level 0 = plain text).
 */
import { Chalk, type ChalkInstance } from "chalk";
import { redact } from "../redact.js";

export interface WritableLike {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface OutputOptions {
  stdout: WritableLike;
  stderr: WritableLike;
  env?: NodeJS.ProcessEnv;
  /** --json: stdout carries only the final document. */
  json?: boolean;
  debug?: boolean;
}

export interface Output {
  readonly json: boolean;
  readonly debug: boolean;
  /** stderr is a terminal (spinners allowed). */
  readonly stderrIsTTY: boolean;
  /** Styles for stderr and stdout text (no-ops when colour is off). */
  readonly errStyle: ChalkInstance;
  readonly outStyle: ChalkInstance;
  /** A line on stdout (redacted). */
  out(text: string): void;
  /** A line on stderr (redacted). */
  err(text: string): void;
  /** Raw write to stderr, for spinner frames (redacted). */
  errRaw(text: string): void;
  /** Width of the stderr terminal, when it is one (read each time: the window may be resized). */
  stderrColumns?(): number | undefined;
  /**
   * Width to fit tables on stdout to: the terminal's, when stdout is one; undefined (full values) for a pipe, a
   * file and with --debug (which shows every id and URL in full).
   */
  tableColumns?(): number | undefined;
}

export function colorAllowed(stream: WritableLike, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function createOutput(options: OutputOptions): Output {
  const env = options.env ?? process.env;
  const json = options.json === true;
  const errColor = colorAllowed(options.stderr, env);
  const outColor = !json && colorAllowed(options.stdout, env);
  return {
    json,
    debug: options.debug === true,
    stderrIsTTY: options.stderr.isTTY === true,
    errStyle: new Chalk({ level: errColor ? 1 : 0 }),
    outStyle: new Chalk({ level: outColor ? 1 : 0 }),
    out: (text) => {
      options.stdout.write(`${redact(text)}\n`);
    },
    err: (text) => {
      options.stderr.write(`${redact(text)}\n`);
    },
    errRaw: (text) => {
      options.stderr.write(redact(text));
    },
    stderrColumns: () => options.stderr.columns,
    tableColumns: () =>
      options.debug || json || options.stdout.isTTY !== true ? undefined : (options.stdout.columns ?? 80),
  };
}

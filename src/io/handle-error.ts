/**
 * The one error handler: `Error [CODE]: message`, the input problems, `→ suggestion`; the stack only with
 * --debug. Everything printed is redacted (Output does it). Unexpected errors get a short message and exit 1.
 */
import { AbortedError, ExitCode, type ExitCodeValue, InputError, isSentinelElasticError } from "../errors.js";
import { redact, redactDeep } from "../redact.js";
import type { Output } from "./output.js";

export interface ErrorDocument {
  code: string;
  message: string;
  suggestion?: string;
  exitCode: ExitCodeValue;
  problems?: { key: string; message: string; where?: string }[];
}

export function errorDocument(error: unknown): ErrorDocument {
  if (isSentinelElasticError(error)) {
    return redactDeep({
      code: error.code,
      message: error.message,
      suggestion: error.suggestion,
      exitCode: error.exitCode,
      ...(error instanceof InputError && error.problems.length > 0 ? { problems: error.problems } : {}),
    });
  }
  return {
    code: "UNEXPECTED",
    message: redact(error instanceof Error ? error.message : String(error)),
    suggestion: "This is a bug or a case we do not handle yet. Re-run with --debug for details and report it.",
    exitCode: ExitCode.unexpected,
  };
}

/** Print the error on stderr; returns its exit code. */
export function printError(error: unknown, output: Output): ExitCodeValue {
  const doc = errorDocument(error);
  const s = output.errStyle;
  if (error instanceof AbortedError) {
    // Ctrl-C: one line, no stack (also with --debug: the user knows why it stopped).
    output.err(doc.message);
    return doc.exitCode;
  }
  output.err(`${s.red(`Error [${doc.code}]`)}: ${doc.message}`);
  for (const p of doc.problems ?? []) {
    output.err(`  - ${s.bold(p.key)} ${p.message}${p.where ? s.dim(`; set with ${p.where}`) : ""}`);
  }
  if (doc.suggestion) output.err(`${s.cyan("→")} ${doc.suggestion}`);
  if (output.debug && error instanceof Error && error.stack) {
    output.err(s.dim(error.stack));
    let cause = error.cause;
    while (cause instanceof Error) {
      output.err(s.dim(`Caused by: ${cause.stack ?? cause.message}`));
      cause = cause.cause;
    }
  }
  return doc.exitCode;
}

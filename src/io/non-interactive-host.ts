/**
 * The host for CI, pipes and --json: never prompts, never hangs. Answers from defaults; a question with no
 * default fails naming the input to set. Confirmations: accepted with --yes, or when not destructive and the
 * default is yes. A destructive confirmation is never approved without --yes. Lists (select, search) are never
 * fetched or shown here: the questions that need one are only put by the interactive wizard.
 */
import { InputError } from "../errors.js";
import { findInput, whereToSet } from "../config/registry.js";
import { OutputChannels, type HostOptions } from "./base-host.js";
import type { Answer, IoHost, Question } from "./io-host.js";

export class NonInteractiveIoHost extends OutputChannels implements IoHost {
  readonly interactive = false;
  readonly assumeYes: boolean;

  constructor(options: HostOptions) {
    super(options.output);
    this.assumeYes = options.assumeYes === true;
  }

  async ask<Q extends Question>(question: Q): Promise<Answer<Q>> {
    if (question.kind === "confirm") {
      if (this.assumeYes) {
        this.message("info", `${question.message} yes (--yes)`);
        return true as Answer<Q>;
      }
      if (question.destructive) {
        throw new InputError(`Confirmation needed: ${question.message}`, {
          code: "CONFIRMATION_REQUIRED",
          suggestion:
            "This changes or deletes existing objects. Review the plan, then re-run with --yes to approve it.",
          details: { question: question.code },
        });
      }
      this.message("info", `${question.message} ${question.default ? "yes" : "no"} (non-interactive: the default)`);
      return question.default as Answer<Q>;
    }
    if (question.default !== undefined) {
      const shown = question.kind === "text" && question.secret ? "(secret)" : question.default;
      this.message("info", `${question.message}: ${shown} (non-interactive: the default)`);
      return question.default as Answer<Q>;
    }
    throw missingAnswer(question.code, question.message);
  }
}

/** The error for a question nobody can answer: names the input and where to set it. */
export function missingAnswer(code: string, message: string): InputError {
  const key = code.startsWith("input.") ? code.slice("input.".length) : undefined;
  const def = key ? findInput(key) : undefined;
  if (def) {
    return new InputError(`${def.key} is missing`, {
      code: "INPUT_MISSING",
      suggestion: `Set ${whereToSet(def)}.`,
      problems: [{ key: def.key, message: "is missing", where: whereToSet(def) }],
    });
  }
  return new InputError(`No answer for "${message}" in a non-interactive run`, {
    code: "INPUT_MISSING",
    suggestion: "Run in a terminal to be asked, or give the value with a flag, env var or config key.",
    details: { question: code },
  });
}

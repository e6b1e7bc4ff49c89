/**
 * The host for a person at a terminal. @inquirer/prompts is imported on the first question only (it is slow to
 * load and most runs ask nothing). Ctrl-C at a prompt becomes AbortedError (exit 130, one line).
 */
import { AbortedError } from "../errors.js";
import { OutputChannels, type HostOptions } from "./base-host.js";
import type { Answer, Choice, IoHost, Question } from "./io-host.js";
import type { WritableLike } from "./output.js";

export interface InteractiveHostOptions extends HostOptions {
  input?: NodeJS.ReadableStream;
  /** Where prompts are drawn (stderr on a terminal, so stdout stays for results). */
  promptOutput?: WritableLike;
}

export class InteractiveIoHost extends OutputChannels implements IoHost {
  readonly interactive = true;
  readonly assumeYes: boolean;
  private readonly input?: NodeJS.ReadableStream;
  private readonly promptOutput?: WritableLike;

  constructor(options: InteractiveHostOptions) {
    super(options.output);
    this.assumeYes = options.assumeYes === true;
    this.input = options.input;
    this.promptOutput = options.promptOutput;
  }

  async ask<Q extends Question>(question: Q): Promise<Answer<Q>> {
    if (this.assumeYes) {
      if (question.kind === "confirm") {
        this.message("info", `${question.message} yes (--yes)`);
        return true as Answer<Q>;
      }
      if (question.default !== undefined) {
        this.message("info", `${question.message}: ${question.default} (--yes: the default)`);
        return question.default as Answer<Q>;
      }
    }
    const prompts = await import("@inquirer/prompts");
    const context = { input: this.input, output: this.promptOutput, clearPromptOnDone: false } as Parameters<
      typeof prompts.input
    >[1];
    this.board.pause();
    if (question.why) this.output.err(this.output.errStyle.dim(`  ${question.why}`));
    try {
      switch (question.kind) {
        case "confirm":
          return (await prompts.confirm(
            { message: question.message, default: question.default },
            context,
          )) as Answer<Q>;
        case "select":
          return (await prompts.select(
            { message: question.message, choices: question.choices, default: question.default },
            context,
          )) as Answer<Q>;
        case "search": {
          const { choices, validate } = question;
          return (await prompts.search(
            {
              message: question.message,
              default: question.default,
              pageSize: 10,
              source: (term) => searchChoices(choices, term),
              validate: validate ? (value: string) => validate(value) : undefined,
            },
            context,
          )) as Answer<Q>;
        }
        default: {
          const validate = question.validate;
          if (question.secret) {
            return (await prompts.password({ message: question.message, mask: "*", validate }, context)) as Answer<Q>;
          }
          return (await prompts.input(
            { message: question.message, default: question.default, validate },
            context,
          )) as Answer<Q>;
        }
      }
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === "ExitPromptError" || name === "AbortPromptError") {
        throw new AbortedError("Aborted at the prompt.");
      }
      throw error;
    }
  }
}

/**
 * What the search prompt lists for a term: the choices whose name, value or description contains it (any case),
 * and the term itself as an answer when it is not one of the values (a pasted GUID, a name not listed).
 */
export function searchChoices(choices: readonly Choice[], term: string | undefined): Choice[] {
  const t = (term ?? "").trim();
  if (!t) return [...choices];
  const needle = t.toLowerCase();
  const hits = choices.filter((c) =>
    [c.name, c.value, c.description ?? ""].some((field) => field.toLowerCase().includes(needle)),
  );
  const exact = choices.some((c) => c.value.toLowerCase() === needle);
  // Named exactly as typed: the prompt shows a refused answer's reason only when the name equals the term.
  return exact ? hits : [...hits, { value: t, name: t, description: "as typed" }];
}

/**
 * The test IoHost: scripted answers by question code, and a record of every question, message, progress line and
 * result (redacted, as the real hosts print them). An unscripted question fails the test loudly.
 *
 * A list of answers is used one per asking, in order (the wizard asks again after a wrong answer). An answer the
 * question's own check refuses is recorded in `rejected` and the next answer in the list is taken, as a person
 * at the prompt would type again; a select answer that is not one of the choices is refused the same way.
 */
import type { Answer, IoHost, Level, Progress, Question } from "../../src/io/io-host.js";
import { redact } from "../../src/redact.js";

export interface TestIoHostOptions {
  interactive?: boolean;
  assumeYes?: boolean;
  /** Answers by question code (e.g. `input.elastic.kibanaUrl`, `confirm.apply`); an Error is thrown instead. */
  answers?: Record<string, Scripted | Scripted[]>;
}

export type Scripted = string | boolean | Error;

export class TestIoHost implements IoHost {
  readonly interactive: boolean;
  readonly assumeYes: boolean;
  readonly asked: Question[] = [];
  readonly messages: { level: Level; text: string }[] = [];
  readonly progressLines: string[] = [];
  readonly results: string[] = [];
  /** Answers a question's own check (or a select's choices) refused, with the reason shown. */
  readonly rejected: { code: string; answer: string; reason: string }[] = [];
  private readonly answers: Record<string, Scripted | Scripted[]>;

  constructor(options: TestIoHostOptions = {}) {
    this.interactive = options.interactive ?? true;
    this.assumeYes = options.assumeYes ?? false;
    this.answers = { ...options.answers };
  }

  async ask<Q extends Question>(question: Q): Promise<Answer<Q>> {
    this.asked.push(question);
    if (!(question.code in this.answers)) throw new Error(`TestIoHost: unexpected question ${question.code}`);
    for (;;) {
      const answer = this.next(question.code);
      if (answer instanceof Error) throw answer;
      const reason = this.refusal(question, answer);
      if (reason === undefined) return answer as Answer<Q>;
      this.rejected.push({ code: question.code, answer: String(answer), reason });
      // One answer for every asking: asking again would get the same refused answer.
      if (!Array.isArray(this.answers[question.code]))
        throw new Error(`TestIoHost: answer to ${question.code} rejected: ${reason}`);
    }
  }

  /** How many scripted answers to `code` are still unused (lists only). */
  remaining(code: string): number {
    const a = this.answers[code];
    return Array.isArray(a) ? a.length : a === undefined ? 0 : 1;
  }

  private next(code: string): Scripted {
    const scripted = this.answers[code]!;
    if (!Array.isArray(scripted)) return scripted;
    const answer = scripted.shift();
    if (answer === undefined) throw new Error(`TestIoHost: no answer left for ${code} (asked once more)`);
    return answer;
  }

  private refusal(question: Question, answer: Scripted): string | undefined {
    if (question.kind === "select" && !question.choices.some((c) => c.value === answer)) {
      return `not one of the choices (${question.choices.map((c) => c.value).join(", ")})`;
    }
    if ((question.kind === "text" || question.kind === "search") && question.validate) {
      const verdict = question.validate(String(answer));
      if (verdict !== true) return verdict;
    }
    return undefined;
  }

  message(level: Level, text: string): void {
    this.messages.push({ level, text: redact(text) });
  }

  progress(text: string, _options?: { elapsed?: boolean }): Progress {
    const log = (t: string) => this.progressLines.push(redact(t));
    log(`start ${text}`);
    return {
      update: (t) => log(`update ${t}`),
      succeed: (t) => log(`succeed ${t ?? text}`),
      fail: (t) => log(`fail ${t ?? text}`),
      stop: (t) => log(`stop ${t ?? text}`),
    };
  }

  result(text: string): void {
    this.results.push(redact(text));
  }

  /** Everything this host was asked to show, as one string (for leak scans). */
  allText(): string {
    return [...this.messages.map((m) => m.text), ...this.progressLines, ...this.results].join("\n");
  }
}

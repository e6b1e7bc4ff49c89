/**
 * The test IoHost: scripted answers by question code, and a record of every question, message, progress line and
 * result (redacted, as the real hosts print them). An unscripted question fails the test loudly.
 */
import type { Answer, IoHost, Level, Progress, Question } from "../../src/io/io-host.js";
import { redact } from "../../src/redact.js";

export interface TestIoHostOptions {
  interactive?: boolean;
  assumeYes?: boolean;
  /** Answers by question code (e.g. `input.elastic.kibanaUrl`, `confirm.apply`); an Error is thrown instead. */
  answers?: Record<string, string | boolean | Error>;
}

export class TestIoHost implements IoHost {
  readonly interactive: boolean;
  readonly assumeYes: boolean;
  readonly asked: Question[] = [];
  readonly messages: { level: Level; text: string }[] = [];
  readonly progressLines: string[] = [];
  readonly results: string[] = [];
  private readonly answers: Record<string, string | boolean | Error>;

  constructor(options: TestIoHostOptions = {}) {
    this.interactive = options.interactive ?? true;
    this.assumeYes = options.assumeYes ?? false;
    this.answers = { ...options.answers };
  }

  async ask<Q extends Question>(question: Q): Promise<Answer<Q>> {
    this.asked.push(question);
    if (!(question.code in this.answers)) throw new Error(`TestIoHost: unexpected question ${question.code}`);
    const answer = this.answers[question.code]!;
    if (answer instanceof Error) throw answer;
    if (question.kind === "text" && question.validate) {
      const verdict = question.validate(String(answer));
      if (verdict !== true) throw new Error(`TestIoHost: answer to ${question.code} rejected: ${verdict}`);
    }
    return answer as Answer<Q>;
  }

  message(level: Level, text: string): void {
    this.messages.push({ level, text: redact(text) });
  }

  progress(text: string): Progress {
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

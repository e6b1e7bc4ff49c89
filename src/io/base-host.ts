/** What the interactive and non-interactive hosts share: messages, progress and results. */
import type { Level } from "./io-host.js";
import type { Output } from "./output.js";
import { createProgressBoard, type ProgressBoard } from "./progress.js";

export interface HostOptions {
  output: Output;
  /** --yes */
  assumeYes?: boolean;
}

export class OutputChannels {
  readonly board: ProgressBoard;
  constructor(readonly output: Output) {
    this.board = createProgressBoard(output);
  }

  message(level: Level, text: string): void {
    const { output } = this;
    const s = output.errStyle;
    if (level === "debug" && !output.debug) return;
    const line =
      level === "debug"
        ? s.dim(`debug: ${text}`)
        : level === "warn"
          ? `${s.yellow("Warning:")} ${text}`
          : level === "error"
            ? `${s.red("Error:")} ${text}`
            : level === "success"
              ? `${s.green("✓")} ${text}`
              : text;
    this.board.line(() => output.err(line));
  }

  /** A terminal: progress redraws one line in place (waits update it; without one they print a line now and then). */
  get live(): boolean {
    return this.output.stderrIsTTY;
  }

  /** End of the command: no spinner line may stay behind the last result. */
  close(): void {
    this.board.close();
  }

  progress(text: string, options?: { elapsed?: boolean }) {
    return this.board.start(text, options);
  }

  result(text: string): void {
    // With --json the final document is the result; nothing else may reach stdout.
    if (this.output.json) return;
    this.board.line(() => this.output.out(text));
  }
}

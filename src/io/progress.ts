/**
 * Progress on stderr: a spinner on a terminal (one line, redrawn), plain lines otherwise (CI logs stay readable).
 * Several steps may run at once, so the spinner line shows every running task.
 */
import type { Progress } from "./io-host.js";
import type { Output } from "./output.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface ProgressBoard {
  /** `elapsed`: the live line shows the task's real running time after its first second. */
  start(text: string, options?: { elapsed?: boolean }): Progress;
  /** Print a line without garbling the spinner. */
  line(write: () => void): void;
  /** Stop the spinner (before prompts and at exit). */
  pause(): void;
  /** At the end of a command: what still runs is stopped and the spinner line cleared (no stale line stays). */
  close(): void;
}

/** "Deploying x…" and "Deploying x ..." → "Deploying x": the board adds its own ellipsis, once. */
export const withoutEllipsis = (text: string) => text.replace(/\s*(…|\.\.\.)+\s*$/u, "");

/** Real running time on the live line: "12 s", "2 min 05 s". */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
}

export function createProgressBoard(output: Output): ProgressBoard {
  const s = output.errStyle;
  const running = new Map<number, string>();
  /** When each task that shows its elapsed time started (wall clock: the person at the terminal waits in it). */
  const startedAt = new Map<number, number>();
  const label = (id: number, text: string) => {
    const since = startedAt.get(id);
    const ms = since === undefined ? 0 : Date.now() - since;
    return ms >= 1000 ? `${withoutEllipsis(text)} (${formatElapsed(ms)})` : text;
  };
  let nextId = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const spinning = output.stderrIsTTY;

  const clear = () => {
    if (spinning && timer) output.errRaw("\r\x1b[2K");
  };
  const draw = () => {
    if (!spinning || running.size === 0) return;
    // One physical line only: a line longer than the terminal wraps, and `\r` then redraws just its last part,
    // leaving a new line behind on every frame. Cut to the width (before styling, so escapes are not cut).
    const width = Math.max(20, (output.stderrColumns?.() ?? 80) - 3);
    // Several at once (verify follows its paths concurrently): the oldest in full, then how many more.
    const texts = [...running.entries()].map(([id, text]) => label(id, text));
    const joined = texts.join(" · ");
    const plain = joined.length > width && texts.length > 1 ? `${texts[0]} · +${texts.length - 1} more` : joined;
    const text = plain.length > width ? `${withoutEllipsis(plain.slice(0, width - 1))}…` : plain;
    output.errRaw(`\r\x1b[2K${s.cyan(FRAMES[frame % FRAMES.length])} ${text}`);
  };
  const ensureTimer = () => {
    if (!spinning) return;
    if (running.size > 0 && !timer) {
      timer = setInterval(() => {
        frame++;
        draw();
      }, 80);
      timer.unref();
      draw();
    } else if (running.size === 0 && timer) {
      clear();
      clearInterval(timer);
      timer = undefined;
    }
  };
  const line = (write: () => void) => {
    clear();
    write();
    draw();
  };

  return {
    line,
    pause() {
      clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    close() {
      running.clear();
      clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    start(text, options) {
      const id = nextId++;
      running.set(id, text);
      if (options?.elapsed) startedAt.set(id, Date.now());
      if (spinning) ensureTimer();
      else output.err(`${withoutEllipsis(text)} …`);
      let current = text;
      const finish = (mark: string, final?: string) => {
        if (!running.has(id)) return;
        running.delete(id);
        startedAt.delete(id);
        line(() => output.err(`${mark} ${final ?? current}`));
        ensureTimer();
      };
      return {
        update(next) {
          current = next;
          if (!running.has(id)) return;
          running.set(id, next);
          if (spinning) draw();
          else output.err(next);
        },
        succeed: (t) => finish(s.green("✓"), t),
        fail: (t) => finish(s.red("✗"), t),
        stop: (t) => finish(s.dim("-"), t),
        dismiss: () => {
          startedAt.delete(id);
          if (!running.delete(id)) return;
          if (spinning) line(() => {});
          ensureTimer();
        },
      };
    },
  };
}

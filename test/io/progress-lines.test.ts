/** Progress lines: one ellipsis, never two; nothing of the spinner stays behind the last line of a command. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createOutput } from "../../src/io/output.js";
import { createProgressBoard } from "../../src/io/progress.js";

afterEach(() => {
  vi.useRealTimers();
});

function stream(isTTY: boolean, columns = 200) {
  const writes: string[] = [];
  return {
    writes,
    stream: {
      isTTY,
      columns,
      write: (s: string) => {
        writes.push(s);
        return true;
      },
    },
  };
}

describe("progress lines", () => {
  it("without a terminal, 'Deploying x to rg…' is printed with one ellipsis", () => {
    const err = stream(false);
    const output = createOutput({ stdout: stream(false).stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    const p = createProgressBoard(output).start("Deploying se-demo-case-sync to rg-demo…");
    p.succeed("Deployed se-demo-case-sync.");
    expect(err.writes).toEqual(["Deploying se-demo-case-sync to rg-demo …\n", "✓ Deployed se-demo-case-sync.\n"]);
  });

  it("on a narrow terminal the cut line ends in one ellipsis even when the text had its own", () => {
    vi.useFakeTimers();
    const err = stream(true, 30);
    const output = createOutput({ stdout: stream(true).stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    createProgressBoard(output).start("Deploying se-demo-alert-forwarding… to rg-sentinel-elastic-demo…");
    vi.advanceTimersByTime(200);
    for (const w of err.writes) expect(w).not.toContain("……");
  });

  it("dismiss() ends a task without a line: the caller prints the outcome", () => {
    const err = stream(false);
    const output = createOutput({ stdout: stream(false).stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    const p = createProgressBoard(output).start("Waiting for the row");
    p.dismiss?.();
    p.succeed("late");
    expect(err.writes).toEqual(["Waiting for the row …\n"]);
  });

  it("close() clears the spinner line and stops drawing, so no stale line follows the summary", () => {
    vi.useFakeTimers();
    const err = stream(true);
    const output = createOutput({ stdout: stream(true).stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    const board = createProgressBoard(output);
    board.start("Following the paths end to end");
    vi.advanceTimersByTime(200);
    board.close();
    const after = err.writes.length;
    expect(err.writes.at(-1)).toBe("\r\x1b[2K");
    vi.advanceTimersByTime(1000);
    board.line(() => output.err("Setup complete."));
    expect(err.writes.slice(after)).toEqual(["Setup complete.\n"]);
  });
});

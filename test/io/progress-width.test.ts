/** The spinner draws one physical line: text wider than the terminal is cut, or every frame would leave a line behind. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createOutput } from "../../src/io/output.js";
import { createProgressBoard } from "../../src/io/progress.js";

afterEach(() => {
  vi.useRealTimers();
});

function tty(columns: number) {
  const writes: string[] = [];
  const write = (s: string) => {
    writes.push(s);
    return true;
  };
  return { writes, stream: { isTTY: true, columns, write } };
}

describe("progress on a terminal", () => {
  it("cuts the running line to the terminal width, so redraws stay on one line", () => {
    vi.useFakeTimers();
    const err = tty(40);
    const out = tty(40);
    const output = createOutput({ stdout: out.stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    const board = createProgressBoard(output);
    const p = board.start("Applying Sentinel authorization of the case-sync Logic Apps · waiting for the Reader role");
    vi.advanceTimersByTime(400);
    const frames = err.writes.filter((w) => w.startsWith("\r\x1b[2K") && w.length > 4);
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) expect(f.replace("\r\x1b[2K", "").length).toBeLessThanOrEqual(40);
    expect(frames.at(-1)).toContain("…");
    p.succeed("done");
  });
});

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

describe("a step being applied, on a terminal", () => {
  it("shows its real running time on the live line once it has run a second, and not in its final line", () => {
    vi.useFakeTimers();
    const err = tty(120);
    const out = tty(120);
    const output = createOutput({ stdout: out.stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    const board = createProgressBoard(output);
    // Given a step being applied and a wait that says its own elapsed time
    const step = board.start("Applying Sentinel authorization", { elapsed: true });
    const frames = () => err.writes.filter((w) => w.startsWith("\r\x1b[2K") && w.length > 4);
    vi.advanceTimersByTime(500);
    expect(frames().at(-1)).not.toMatch(/\(\d+ s\)/);
    // When 75 s pass
    vi.advanceTimersByTime(75_000);
    // Then the live line says how long it has run
    expect(frames().at(-1)).toContain("Applying Sentinel authorization (1 min 15 s)");
    step.succeed("Sentinel authorization: create role assignment");
    expect(err.writes.join("")).toContain("✓ Sentinel authorization: create role assignment\n");
  });

  it("a task started without elapsed keeps its own text", () => {
    vi.useFakeTimers();
    const err = tty(120);
    const output = createOutput({ stdout: tty(120).stream, stderr: err.stream, env: { NO_COLOR: "1" } });
    const p = createProgressBoard(output).start("Waiting for the row (30 s so far)");
    vi.advanceTimersByTime(5_000);
    expect(err.writes.filter((w) => w.startsWith("\r\x1b[2K")).at(-1)).toMatch(/Waiting for the row \(30 s so far\)$/);
    p.succeed("row");
  });
});

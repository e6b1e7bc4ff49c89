import { describe, expect, it } from "vitest";
import { createClock, type ClockOptions } from "../../../src/sandbox/common/clock.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");

describe("manual clock (tests)", () => {
  it("needs an explicit start, so no test runs on the date it happens to run", () => {
    expect(() => createClock({} as ClockOptions)).toThrow(/explicit start/);
    expect(() => createClock({ mode: "manual", start: Number.NaN })).toThrow(/explicit start/);
    expect(createClock({ start: T0 }).now()).toBe(T0);
  });

  it("moves only by advance, and runs after/at/every/sleep in time order, each seeing its own due time", async () => {
    const clock = createClock({ start: T0 });
    const seen: string[] = [];
    const log = (what: string) => () => void seen.push(`${what}@${clock.now() - T0}`);
    clock.every(60_000, log("every"));
    clock.after(90_000, log("after"));
    clock.at(T0 + 30_000, log("at"));
    const slept = clock.sleep(120_000).then(log("sleep"));
    expect(clock.due(45_000)).toBe(T0 + 45_000);
    expect(clock.real(45_000)).toBe(45_000);

    await clock.advance(119_999);
    expect(seen).toEqual(["at@30000", "every@60000", "after@90000"]);
    await clock.advance(1);
    await slept;
    expect(seen).toEqual(["at@30000", "every@60000", "after@90000", "every@120000", "sleep@120000"]);
    expect(clock.now()).toBe(T0 + 120_000);
  });

  it("a cancelled timer does not run", async () => {
    const clock = createClock({ start: T0 });
    let runs = 0;
    const t = clock.every(1_000, () => void runs++);
    await clock.advance(2_500);
    t.cancel();
    await clock.advance(10_000);
    expect(runs).toBe(2);
  });

  it("refuses to go backwards", async () => {
    await expect(createClock({ start: T0 }).advance(-1)).rejects.toThrow(/backwards/);
  });
});

describe("scaled clock (demo)", () => {
  it("keeps sandbox time on the wall clock and compresses durations instead", async () => {
    const clock = createClock({ mode: "scaled", speed: 1_000 });
    try {
      const before = Date.now();
      expect(clock.now()).toBeGreaterThanOrEqual(before);
      expect(clock.now() - Date.now()).toBeLessThanOrEqual(0);
      expect(clock.real(60_000)).toBe(60);
      const due = clock.due(60_000);
      expect(due - before).toBeGreaterThanOrEqual(60);
      expect(due - before).toBeLessThan(1_000);

      // A modelled minute passes in about 60 real ms, and afterwards the sandbox's "now" is still the wall
      // clock: it has not jumped a minute ahead of another process's Date.now().
      await clock.sleep(60_000);
      const after = clock.now();
      expect(after - before).toBeGreaterThanOrEqual(60);
      expect(after - before).toBeLessThan(60_000);
      expect(Math.abs(after - Date.now())).toBeLessThan(50);

      // advance cannot move the time axis in scaled mode: it waits out the modelled duration like sleep.
      const a0 = Date.now();
      await clock.advance(30_000);
      expect(Date.now() - a0).toBeGreaterThanOrEqual(25);
      expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    } finally {
      clock.stop();
    }
  });

  it("runs every(ms) at the compressed interval and after(ms) once", async () => {
    const clock = createClock({ mode: "scaled", speed: 1_000, tickMs: 2 });
    try {
      let ticks = 0;
      let once = 0;
      const t = clock.every(10_000, () => void ticks++);
      clock.after(15_000, () => void once++);
      await clock.sleep(55_000);
      t.cancel();
      expect(ticks).toBeGreaterThanOrEqual(3);
      expect(ticks).toBeLessThanOrEqual(6);
      expect(once).toBe(1);
    } finally {
      clock.stop();
    }
  });

  it("a timer that waits on something slow does not hold up the others (no deadlock through the clock)", async () => {
    const clock = createClock({ mode: "scaled", speed: 1_000, tickMs: 2 });
    try {
      // A rule run that waits for a Logic App, whose run in turn waits on this clock for a retry interval: before,
      // the driver awaited each timer, so the retry timer behind it could not fire and both waited it out.
      let answered = false;
      clock.after(1_000, async () => {
        await clock.sleep(5_000);
        answered = true;
      });
      const started = Date.now();
      await clock.sleep(20_000);
      expect(answered).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      clock.stop();
    }
  });

  it("a repeating timer still busy from its last beat skips the next one instead of running twice at once", async () => {
    const clock = createClock({ mode: "scaled", speed: 1_000, tickMs: 2 });
    try {
      let running = 0;
      let most = 0;
      let runs = 0;
      const t = clock.every(1_000, async () => {
        running++;
        runs++;
        most = Math.max(most, running);
        await clock.sleep(3_500);
        running--;
      });
      await clock.sleep(40_000);
      t.cancel();
      expect(runs).toBeGreaterThanOrEqual(3);
      expect(most).toBe(1);
    } finally {
      clock.stop();
    }
  });

  it("refuses a speed that is not positive", () => {
    expect(() => createClock({ mode: "scaled", speed: 0 })).toThrow(/speed/);
  });
});

/**
 * The sandbox clock. Every emulator reads time and schedules work through it, never through Date.now() or
 * setTimeout, so that tests can step through a 5-minute rule interval without sleeping and `demo` can be fast.
 *
 * - manual mode (tests): time moves only when `advance(ms)` is called; due timers run in order. A manual clock
 *   starts at an explicit `start` the test chose, so no test depends on the date it runs.
 * - scaled mode (demo, second shells): sandbox time IS wall-clock time (`now()` = `Date.now()`), so timestamps
 *   written by any process at any time agree. Speed comes from compressing modelled *durations* instead: a rule
 *   interval of 5 minutes, scheduled with `every(5 * 60_000, …)`, runs every 5 real seconds at speed 60.
 *
 * Durations go through `after` / `every` / `sleep` / `due`; `at(t, …)` is for absolute sandbox times only.
 * `clock.at(clock.now() + ms, …)` is wrong for a duration (in scaled mode it would not be compressed).
 */
export interface ClockTimer {
  cancel(): void;
}

export interface SandboxClock {
  /** Current sandbox time, epoch milliseconds (scaled mode: the wall clock). */
  now(): number;
  /** Current sandbox time as a Date. */
  date(): Date;
  /**
   * Tests: move time forward by `ms`, running every timer that falls due (awaiting async ones) in time order.
   * In scaled mode time cannot be moved: this waits until the modelled duration `ms` has passed (like `sleep`).
   */
  advance(ms: number): Promise<void>;
  /** Run `fn` once at absolute sandbox time `t`. */
  at(t: number, fn: () => void | Promise<void>): ClockTimer;
  /** Run `fn` once after the modelled duration `ms` (scaled: `ms / speed` real ms). */
  after(ms: number, fn: () => void | Promise<void>): ClockTimer;
  /** Run `fn` every modelled `ms`, first after one interval. */
  every(ms: number, fn: () => void | Promise<void>): ClockTimer;
  /** Resolve after the modelled duration `ms`. */
  sleep(ms: number): Promise<void>;
  /** The sandbox time at which a modelled duration `ms` starting now ends (scaled: `now() + ms / speed`). */
  due(ms: number): number;
  /** Real milliseconds a modelled duration `ms` takes (scaled: `ms / speed`; manual: `ms`). */
  real(ms: number): number;
  /** Stop the real-time driver of scaled mode (pending timers no longer fire by themselves). */
  stop(): void;
  readonly mode: "manual" | "scaled";
  /** Modelled milliseconds per real millisecond (manual mode: 1). */
  readonly speed: number;
}

export type ClockOptions =
  | {
      /** Time moves only by `advance`. */
      mode?: "manual";
      /** Start time, epoch ms. Required: a test chooses its own time, never the date it happens to run. */
      start: number;
    }
  | {
      /** Sandbox time is the wall clock; modelled durations are divided by `speed`. */
      mode: "scaled";
      /** Modelled milliseconds per real millisecond (default 60: a minute takes a second). */
      speed?: number;
      /** Real milliseconds between timer checks (default 10). */
      tickMs?: number;
    };

interface Entry {
  due: number;
  seq: number;
  fn: () => void | Promise<void>;
  every?: number;
  cancelled: boolean;
  /** Scaled mode: a repeating timer's previous run has not finished yet. */
  busy?: boolean;
}

export function createClock(options: ClockOptions): SandboxClock {
  const mode = options.mode ?? "manual";
  let speed = 1;
  let origin = 0;
  if (options.mode === "scaled") {
    speed = options.speed ?? 60;
    if (!(speed > 0)) throw new Error("speed must be positive");
  } else {
    if (typeof options.start !== "number" || !Number.isFinite(options.start))
      throw new Error("a manual clock needs an explicit start (epoch ms)");
    origin = options.start;
  }
  let offset = 0;
  let seq = 0;
  const entries: Entry[] = [];

  const now = (): number => (mode === "manual" ? origin + offset : Date.now());
  const real = (ms: number): number => ms / speed;
  const due = (ms: number): number => now() + Math.max(0, real(ms));

  const schedule = (dueAt: number, fn: Entry["fn"], every?: number): ClockTimer => {
    const entry: Entry = { due: dueAt, seq: seq++, fn, every, cancelled: false };
    entries.push(entry);
    return {
      cancel() {
        entry.cancelled = true;
        const i = entries.indexOf(entry);
        if (i >= 0) entries.splice(i, 1);
      },
    };
  };

  /** Fire every entry due at or before `until`, in (due, seq) order. */
  const fireDue = async (until: number): Promise<void> => {
    for (;;) {
      const live = entries.filter((e) => !e.cancelled && e.due <= until);
      if (live.length === 0) return;
      live.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = live[0]!;
      if (next.every !== undefined) next.due += next.every;
      else {
        next.cancelled = true;
        entries.splice(entries.indexOf(next), 1);
      }
      await next.fn();
    }
  };

  /**
   * Scaled mode: start every due timer in time order without waiting for it to finish. Emulated services work
   * side by side, as real ones do: a rule run that waits on an HTTP call (to a Logic App whose run waits on this
   * clock for a retry interval) must not hold up the clock, or both wait for the HTTP timeout. A repeating timer
   * whose last run is still going skips that beat (as Kibana's task manager does not run one task twice at once).
   */
  const startDue = (until: number): void => {
    const live = entries.filter((e) => !e.cancelled && e.due <= until);
    live.sort((a, b) => a.due - b.due || a.seq - b.seq);
    for (const next of live) {
      if (next.every !== undefined) {
        while (next.due <= until) next.due += next.every;
        if (next.busy) continue;
      } else {
        next.cancelled = true;
        entries.splice(entries.indexOf(next), 1);
      }
      next.busy = true;
      void Promise.resolve()
        .then(next.fn)
        .catch(() => {})
        .finally(() => {
          next.busy = false;
        });
    }
  };

  let driver: NodeJS.Timeout | undefined;
  if (mode === "scaled") {
    driver = setInterval(() => startDue(now()), options.mode === "scaled" ? (options.tickMs ?? 10) : 10);
    driver.unref();
  }

  const after = (ms: number, fn: Entry["fn"]): ClockTimer => schedule(due(ms), fn);
  const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => after(ms, resolve));

  return {
    mode,
    speed,
    now,
    date: () => new Date(now()),
    real,
    due,
    async advance(ms: number) {
      if (ms < 0) throw new Error("the sandbox clock cannot go backwards");
      if (mode === "scaled") return sleep(ms);
      const target = now() + ms;
      // Step timer by timer so that a timer sees the clock at its own due time.
      for (;;) {
        const live = entries.filter((e) => !e.cancelled && e.due <= target);
        if (live.length === 0) break;
        const next = Math.min(...live.map((e) => e.due));
        offset += Math.max(0, next - now());
        await fireDue(next);
      }
      offset += Math.max(0, target - now());
    },
    at: (t, fn) => schedule(t, fn),
    after,
    every: (ms, fn) => {
      if (!(ms > 0)) throw new Error("interval must be positive");
      return schedule(due(ms), fn, real(ms));
    },
    sleep,
    stop() {
      if (driver) clearInterval(driver);
      driver = undefined;
    },
  };
}

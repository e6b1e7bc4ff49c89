/**
 * The sandbox clock. Every emulator reads time from here, never from Date.now(), so that tests can
 * step through a 5-minute rule interval without sleeping, and `demo` can run time faster than real.
 *
 * - manual mode (tests): time moves only when `advance(ms)` is called; due timers run in order.
 * - scaled mode (demo): time runs at `speed` × real time; due timers are fired by a real interval.
 */
export interface ClockTimer {
  cancel(): void;
}

export interface SandboxClock {
  /** Current sandbox time, epoch milliseconds. */
  now(): number;
  /** Current sandbox time as a Date. */
  date(): Date;
  /** Move time forward, running every timer that falls due (awaiting async ones) in time order. */
  advance(ms: number): Promise<void>;
  /** Run `fn` once at sandbox time `at`. */
  at(at: number, fn: () => void | Promise<void>): ClockTimer;
  /** Run `fn` every `intervalMs` of sandbox time, first after one interval. */
  every(intervalMs: number, fn: () => void | Promise<void>): ClockTimer;
  /** Stop the real-time driver of scaled mode. */
  stop(): void;
  readonly mode: "manual" | "scaled";
  readonly speed: number;
}

export interface ClockOptions {
  /** Start time, epoch ms (default: real now). */
  start?: number;
  /** `manual` (default) or `scaled`. */
  mode?: "manual" | "scaled";
  /** Sandbox milliseconds per real millisecond in scaled mode (default 60: a minute a second). */
  speed?: number;
  /** Real milliseconds between timer checks in scaled mode (default 10). */
  tickMs?: number;
}

interface Entry {
  due: number;
  seq: number;
  fn: () => void | Promise<void>;
  every?: number;
  cancelled: boolean;
}

export function createClock(options: ClockOptions = {}): SandboxClock {
  const mode = options.mode ?? "manual";
  const speed = mode === "scaled" ? (options.speed ?? 60) : 1;
  const origin = options.start ?? Date.now();
  const realOrigin = performance.now();
  let manualOffset = 0;
  let seq = 0;
  const entries: Entry[] = [];
  let running: Promise<void> = Promise.resolve();

  const now = (): number => {
    if (mode === "manual") return origin + manualOffset;
    return Math.floor(origin + manualOffset + (performance.now() - realOrigin) * speed);
  };

  const schedule = (due: number, fn: Entry["fn"], every?: number): ClockTimer => {
    const entry: Entry = { due, seq: seq++, fn, every, cancelled: false };
    entries.push(entry);
    return {
      cancel() {
        entry.cancelled = true;
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

  let driver: NodeJS.Timeout | undefined;
  if (mode === "scaled") {
    driver = setInterval(() => {
      running = running.then(() => fireDue(now())).catch(() => {});
    }, options.tickMs ?? 10);
    driver.unref();
  }

  return {
    mode,
    speed,
    now,
    date: () => new Date(now()),
    async advance(ms: number) {
      if (ms < 0) throw new Error("the sandbox clock cannot go backwards");
      const target = now() + ms;
      // Step timer by timer so that a timer sees the clock at its own due time.
      for (;;) {
        const live = entries.filter((e) => !e.cancelled && e.due <= target);
        if (live.length === 0) break;
        const due = Math.min(...live.map((e) => e.due));
        if (mode === "manual") manualOffset += Math.max(0, due - now());
        await fireDue(due);
      }
      if (mode === "manual") manualOffset += Math.max(0, target - now());
      else manualOffset += ms;
    },
    at: (at, fn) => schedule(at, fn),
    every: (intervalMs, fn) => {
      if (!(intervalMs > 0)) throw new Error("interval must be positive");
      return schedule(now() + intervalMs, fn, intervalMs);
    },
    stop() {
      if (driver) clearInterval(driver);
      driver = undefined;
    },
  };
}

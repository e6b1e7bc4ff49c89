/**
 * What a wait shows: what it waits for, how long so far, how long it usually takes and when it gives up (the
 * bound, e.g. --timeout). On a terminal that is one live line, redrawn at every poll; without one (CI logs) a
 * line when the wait starts and then one every ~30 s, so a 15-minute wait is neither silent nor 900 lines.
 * Time comes from the clock the caller is given (the sandbox clock in tests and the demo), never from Date.now().
 */
import type { IoHost, Progress } from "./io-host.js";

export interface WaitSpec {
  /** Completes "Waiting for …": "the incident in Sentinel", "the Reader role of se-demo-case-get to take effect". */
  what: string;
  /** How long it usually takes, for a person: "under 30 s", "1–3 min". */
  usual?: string;
  /** Give up this long after the wait starts (ms)… */
  boundMs?: number;
  /** …or at this absolute time (clock ms), e.g. the --timeout deadline shared by the whole verify run. */
  deadline?: number;
  /** What sets the bound: "--timeout", "the role propagation limit". */
  boundBy?: string;
}

export interface WaitHandle {
  /** Call at every poll: redraws the live line, or prints a line when ~30 s passed since the last one. */
  tick(): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  /** Ended without a verdict (interrupted). */
  stop(text?: string): void;
  /** Ended, and the caller reports the outcome (verify's hop line): the wait's line goes away silently. */
  dismiss(): void;
}

export interface WaitDeps {
  io: Pick<IoHost, "progress"> & { readonly live?: boolean };
  now: () => number;
  /** Without a terminal, a line at most this often (clock ms; default 30 s). */
  logEveryMs?: number;
}

export const LOG_EVERY_MS = 30_000;

/** 42 s, 3 min 05 s, 1 h 02 min: what a person reads at a glance. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${String(m % 60).padStart(2, "0")} min`;
}

/**
 * `Waiting for X: 1 min 05 s so far (usually 1–3 min; gives up in 13 min 55 s, --timeout 15 min)`; with a bound
 * instead of a deadline `… gives up at 15 min, the role propagation limit`. No "so far" in the first line.
 */
export function waitLine(spec: WaitSpec, elapsedMs: number, now: number): string {
  const by = spec.boundBy ? `, ${spec.boundBy}` : "";
  const bound =
    spec.deadline !== undefined
      ? `gives up in ${formatDuration(spec.deadline - now)}${by}`
      : spec.boundMs !== undefined
        ? `gives up at ${formatDuration(spec.boundMs)}${by}`
        : "";
  const facts = [spec.usual ? `usually ${spec.usual}` : "", bound].filter(Boolean);
  const sofar = elapsedMs >= 1000 ? `: ${formatDuration(elapsedMs)} so far` : "";
  return `Waiting for ${spec.what}${sofar}${facts.length ? ` (${facts.join("; ")})` : ""}`;
}

/**
 * Start showing a wait. With `progress` the wait borrows that line (a step's own progress, which already said
 * what the step does) from the first tick on and leaves ending it to its owner; otherwise it opens its own and
 * ends it with succeed/fail/stop.
 */
export function startWait(deps: WaitDeps, spec: WaitSpec, progress?: Progress): WaitHandle {
  const startedAt = deps.now();
  const every = deps.logEveryMs ?? LOG_EVERY_MS;
  const live = deps.io.live === true;
  const line = () => waitLine(spec, deps.now() - startedAt, deps.now());
  const own = progress === undefined;
  const p = progress ?? deps.io.progress(line());
  let lastLine = startedAt;
  let ended = false;
  const end = (how: "succeed" | "fail" | "stop", text?: string) => {
    if (ended) return;
    ended = true;
    if (own) p[how](text ?? `${spec.what}: ${formatDuration(deps.now() - startedAt)}`);
  };
  return {
    tick() {
      if (ended) return;
      const now = deps.now();
      if (!live && now - lastLine < every) return;
      lastLine = now;
      p.update(line());
    },
    succeed: (text) => end("succeed", text),
    fail: (text) => end("fail", text),
    stop: (text) => end("stop", text),
    dismiss: () => {
      if (ended) return;
      ended = true;
      if (own) p.dismiss ? p.dismiss() : p.stop(`${spec.what}: ${formatDuration(deps.now() - startedAt)}`);
    },
  };
}

/**
 * Fault injection shared by every emulator: added latency, an error rate by status code (429 with
 * Retry-After, 500, 503) and connection resets, with per-route overrides. Seeded, so that a fault run
 * is repeatable.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type FaultKind = 429 | 500 | 502 | 503 | 504 | "reset";

export interface FaultRule {
  /** Probability 0..1 that a matching request fails. */
  errorRate?: number;
  /** Which failures to draw from (uniformly). Default: [429, 500, 503, "reset"]. */
  kinds?: FaultKind[];
  /** Added latency in real ms: a number or [min, max]. */
  latencyMs?: number | [number, number];
  /** Seconds sent in Retry-After with 429 and 503 (default 1). */
  retryAfterSeconds?: number;
}

export interface RouteFault extends FaultRule {
  /** Matched against `METHOD path` (e.g. `POST /api/cases`), as a substring or a RegExp. */
  match: string | RegExp;
  /** Fail exactly the next N matching requests (then fall back to errorRate), if set. */
  times?: number;
}

export interface FaultOptions extends FaultRule {
  seed?: number;
  routes?: RouteFault[];
}

export interface FaultInjector {
  /** Returns true when the request was failed (the response is already finished or destroyed). */
  intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Replace the options at run time (tests switch faults on and off). */
  set(options: FaultOptions | undefined): void;
  /** How many faults have been injected so far. */
  readonly injected: number;
}

/** mulberry32: a tiny seeded PRNG, good enough to make fault runs repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createFaultInjector(initial?: FaultOptions): FaultInjector {
  let options = initial;
  let random = seededRandom(initial?.seed ?? 1);
  let injected = 0;
  const counters = new Map<RouteFault, number>();

  const pick = (rule: FaultRule): FaultKind => {
    const kinds = rule.kinds?.length ? rule.kinds : ([429, 500, 503, "reset"] as FaultKind[]);
    return kinds[Math.floor(random() * kinds.length)]!;
  };

  const fail = (res: ServerResponse, kind: FaultKind, rule: FaultRule) => {
    injected++;
    if (kind === "reset") {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (kind === 429 || kind === 503) headers["retry-after"] = String(rule.retryAfterSeconds ?? 1);
    res.writeHead(kind, headers);
    res.end(
      JSON.stringify({ error: { code: `InjectedFault${kind}`, message: `sandbox injected fault: HTTP ${kind}` } }),
    );
  };

  return {
    get injected() {
      return injected;
    },
    set(next) {
      options = next;
      random = seededRandom(next?.seed ?? 1);
      counters.clear();
    },
    async intercept(req, res) {
      if (!options) return false;
      const key = `${req.method ?? "GET"} ${(req.url ?? "/").split("?")[0]}`;
      const route = options.routes?.find((r) =>
        typeof r.match === "string" ? key.includes(r.match) : r.match.test(key),
      );
      const rule: FaultRule = route ?? options;
      const latency = rule.latencyMs ?? options.latencyMs;
      if (latency !== undefined) {
        const ms = Array.isArray(latency) ? latency[0] + random() * (latency[1] - latency[0]) : latency;
        if (ms > 0) await sleep(ms);
      }
      if (route?.times !== undefined) {
        const used = counters.get(route) ?? 0;
        if (used < route.times) {
          counters.set(route, used + 1);
          fail(res, pick(route), route);
          return true;
        }
        return false;
      }
      const rate = rule.errorRate ?? 0;
      if (rate > 0 && random() < rate) {
        fail(res, pick(rule), rule);
        return true;
      }
      return false;
    },
  };
}

import { afterEach, describe, expect, it } from "vitest";
import type { SentinelElasticError } from "../../../src/errors.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { changed, makeContext, type Receiver, runSetup, sandboxConfig, startReceiver } from "./helpers.js";

/** Faults on Kibana's API only (the Elasticsearch SDK's own backoff waits in real time). */
const kibanaFaults = (seed: number, kinds: (429 | 500 | 502 | 503 | 504 | "reset")[], errorRate: number) => ({
  seed,
  routes: [{ match: /^[A-Z]+ \/(s\/[^/]+\/)?api\//, errorRate, kinds, retryAfterSeconds: 2 }],
});

describe("setup under injected Kibana faults", () => {
  let sb: ElasticSandbox | undefined;
  let rx: Receiver | undefined;
  afterEach(async () => {
    await sb?.stop();
    await rx?.stop();
  });

  async function converge(seed: number, kinds: (429 | 500 | 502 | 503 | 504 | "reset")[], runs = 3) {
    sb = await startElasticSandbox({
      kibanaVersion: "8.17.0",
      allowedHosts: ["*"],
      faults: kibanaFaults(seed, kinds, 0.2),
    });
    rx = await startReceiver();
    const waits: number[] = [];
    const outcomes: string[] = [];
    for (let run = 0; run < runs; run++) {
      const ctx = makeContext(sandboxConfig(sb), { waits, now: () => sb!.clock.now() });
      try {
        await runSetup(ctx, { between: (c) => Object.assign(c.shared.callbackUrls, rx!.urls) });
        outcomes.push("done");
        break;
      } catch (e) {
        const err = e as SentinelElasticError;
        // Stopping is allowed, but only with one of our typed, explained errors.
        expect(err.code).toMatch(/^KIBANA_/);
        expect(err.suggestion).toBeTruthy();
        outcomes.push(err.code);
      }
    }
    sb.faults.set(undefined);
    const ctx = makeContext(sandboxConfig(sb));
    Object.assign(ctx.shared.callbackUrls, rx.urls);
    const { plan } = await runSetup(ctx, { dryRun: true });
    return { outcomes, waits, plan, ctx };
  }

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: retryable faults (429 with Retry-After, 502-504, resets) are absorbed; exactly one of each object`, async () => {
      const { outcomes, waits, plan } = await converge(seed, [429, 502, 503, 504, "reset"]);
      expect(outcomes.at(-1)).toBe("done");
      expect(sb!.faults.injected).toBeGreaterThan(0);
      expect(waits.length).toBeGreaterThan(0);
      expect(changed(plan)).toEqual([]);
      expect(sb!.state.connectors()).toHaveLength(2);
      expect(sb!.state.rules()).toHaveLength(1);
      expect(sb!.state.caseConfigurations()).toHaveLength(1);
    });
  }

  it("500s on idempotent calls are retried like 503s: the run completes with exactly one of each object", async () => {
    const { outcomes, waits, plan } = await converge(7, [500], 1);
    expect(outcomes).toEqual(["done"]);
    expect(sb!.faults.injected).toBeGreaterThan(0);
    expect(waits.length).toBeGreaterThan(0);
    expect(changed(plan)).toEqual([]);
    expect(sb!.state.connectors()).toHaveLength(2);
    expect(sb!.state.rules()).toHaveLength(1);
  });

  it("a Kibana that answers 500 to everything stops the run with an explained error; a re-run converges", async () => {
    sb = await startElasticSandbox({ kibanaVersion: "8.17.0", allowedHosts: ["*"] });
    rx = await startReceiver();
    const first = makeContext(sandboxConfig(sb), { now: () => sb!.clock.now() });
    Object.assign(first.shared.callbackUrls, rx.urls);
    await runSetup(first, { dryRun: true });
    sb.faults.set({ routes: [{ match: /^(PUT|POST) \/(s\/[^/]+\/)?api\/actions\//, errorRate: 1, kinds: [500] }] });
    const ctx = makeContext(sandboxConfig(sb), { now: () => sb!.clock.now() });
    const err = await runSetup(ctx, { between: (c) => Object.assign(c.shared.callbackUrls, rx!.urls) }).then(
      () => undefined,
      (e: SentinelElasticError) => e,
    );
    expect(err?.code).toBe("KIBANA_SERVER_ERROR");
    expect(err?.suggestion).toBeTruthy();
    sb.faults.set(undefined);
    const again = makeContext(sandboxConfig(sb));
    Object.assign(again.shared.callbackUrls, rx.urls);
    await runSetup(again, { between: (c) => Object.assign(c.shared.callbackUrls, rx!.urls) });
    const after = makeContext(sandboxConfig(sb));
    Object.assign(after.shared.callbackUrls, rx.urls);
    expect(changed((await runSetup(after, { dryRun: true })).plan)).toEqual([]);
    expect(sb.state.connectors()).toHaveLength(2);
    expect(sb.state.rules()).toHaveLength(1);
  });
});

/**
 * Faults (issue 9): with 10% of the calls to every remote failing (429 with Retry-After, 500, 503, connection
 * resets) plus latency, `setup` either completes or stops saying what was done and that a re-run continues;
 * re-runs converge; the result always has exactly one of each object. Seeded: a failing seed replays exactly
 * (the sandboxes' fault sequence is drawn from the seed).
 */
import { describe, expect, it } from "vitest";
import type { FaultOptions } from "../../src/sandbox/common/faults.js";
import { expectExactlyOneOfEach } from "./helpers/converged.js";
import { startSafetyWorld } from "./helpers/safety-world.js";

const SEEDS = Array.from({ length: Number(process.env.SAFETY_FAULT_SEEDS ?? 20) }, (_, i) => i + 1);
const STACK = /\n\s+at .+[:(]\d+:\d+/;
const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
/** Re-runs with the faults still on before one without them. */
const FAULTY_RERUNS = 2;

const faults = (seed: number): FaultOptions => ({
  seed,
  errorRate: 0.1,
  kinds: [429, 500, 503, "reset"],
  retryAfterSeconds: 1,
  latencyMs: [0, 15],
});

interface Stop {
  seed: number;
  code: number;
  stderr: string;
}
/** Every run that stopped, from every seed, for the honesty test below. */
const stops: Stop[] = [];
let seedsFinished = 0;

describe.concurrent("setup under 10% faults on every remote", () => {
  it.each(SEEDS)(
    "seed %i: setup completes or stops cleanly; re-runs converge to exactly one of each object",
    async (seed) => {
      const w = await startSafetyWorld({ faults: faults(seed) });
      try {
        const transcript: string[] = [];
        const describeRun = () => transcript.join("\n----\n");
        let last = await w.run(SETUP);
        transcript.push(`run 1 (faults): exit ${last.code}\n${last.stderr}`);
        for (let i = 0; i < FAULTY_RERUNS && last.code !== 0; i++) {
          expectACleanStop(last, describeRun());
          stops.push({ seed, code: last.code, stderr: last.stderr });
          last = await w.run(SETUP);
          transcript.push(`run ${i + 2} (faults): exit ${last.code}\n${last.stderr}`);
        }
        w.azure.faults.set(undefined);
        w.elastic.faults.set(undefined);
        if (last.code !== 0) {
          expectACleanStop(last, describeRun());
          stops.push({ seed, code: last.code, stderr: last.stderr });
          last = await w.run(SETUP);
          transcript.push(`run without faults: exit ${last.code}\n${last.stderr}`);
        }
        expect(last.code, describeRun()).toBe(0);
        const plan = await w.run(["plan", "--detailed-exitcode"]);
        expect(plan.code, `${describeRun()}\n----\nplan:\n${plan.stdout}${plan.stderr}`).toBe(0);
        expectExactlyOneOfEach(w, describeRun());
        seedsFinished++;
      } finally {
        await w.stop();
      }
    },
    240_000,
  );
});

describe("what a stopped setup says", () => {
  // Once pinned with `.fails`: the configuration checks after apply and a few reads made one attempt, so a single
  // injected 429/500/reset ended a fully applied run with exit 6 "1 of N checks failed", or exit 1 from an
  // unretried read. Now the clients retry idempotent calls, the engine retries a check once on a transient error
  // and reports one that still fails as "could not run" after listing what was done (engine.test.ts pins the texts).
  it("runs after every seed finished", () => {
    expect(seedsFinished).toBe(SEEDS.length);
  });

  it("after any change, a stop lists what was done and not done and says that running setup again continues", () => {
    const dishonest = stops.filter(
      (s) => /^Applying /m.test(s.stderr) && !(/Done: /.test(s.stderr) && /run (setup )?again|re-run/i.test(s.stderr)),
    );
    expect(
      dishonest.map(
        (s) =>
          `seed ${s.seed}: exit ${s.code}: ${s.stderr
            .split("\n")
            .filter((l) => l.startsWith("Error"))
            .join(" ")}`,
      ),
    ).toEqual([]);
  });
});

/** A clean stop: non-zero, no stack trace, not an "unexpected" error, and a suggestion the user can act on. */
function expectACleanStop(r: { code: number; stderr: string }, transcript: string) {
  expect(r.code, transcript).not.toBe(0);
  expect(r.stderr, `no stack trace\n${transcript}`).not.toMatch(STACK);
  expect(r.stderr, transcript).not.toMatch(/Error \[UNEXPECTED\]/);
  expect(r.stderr, transcript).toMatch(/^→ /m);
}

/**
 * Faults: with 10% of the calls to every remote failing (429 with Retry-After, 500, 503, connection
 * resets) plus latency, `setup` either completes or stops saying what was done and that a re-run continues;
 * re-runs converge; the result always has exactly one of each object. Seeded: a failing seed replays exactly
 * (the sandboxes' fault sequence is drawn from the seed).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import { createElasticsearchClient } from "../../src/elastic/client.js";
import { isTransientRemoteError } from "../../src/engine/transient.js";
import type { FaultOptions } from "../../src/sandbox/common/faults.js";
import { expectExactlyOneOfEach } from "./helpers/converged.js";
import { startSafetyWorld } from "./helpers/safety-world.js";
import { tempDir, VALID_ENV } from "../helpers/config-env.js";
import { TestIoHost } from "../helpers/test-io-host.js";

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

describe("Elasticsearch reads under transient faults", () => {
  /** A stand-in Elasticsearch on 127.0.0.1: answers each request with the next of `answers` (then 200). */
  async function fakeElasticsearch(answers: (number | "reset")[]) {
    let calls = 0;
    const server = createServer((req, res) => {
      const answer = answers[calls++];
      if (answer === "reset") return void res.socket?.destroy();
      const status = answer ?? 200;
      res.writeHead(status, {
        "content-type": "application/json",
        "x-elastic-product": "Elasticsearch",
        ...(status === 429 ? { "retry-after": "0" } : {}),
      });
      res.end(
        JSON.stringify(
          status === 200
            ? req.url?.startsWith("/_security/_authenticate")
              ? { username: "soc", authentication_type: "api_key" }
              : { hits: { hits: [] } }
            : { error: { type: "es_rejected_execution_exception", reason: "queue full" }, status },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const dir = tempDir();
    const { config } = await resolveConfig({
      env: { ...VALID_ENV, ELASTICSEARCH_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      cwd: dir.path,
      io: new TestIoHost({ interactive: false }),
    });
    const es = await createElasticsearchClient(config);
    return {
      es,
      calls: () => calls,
      async stop() {
        await es.close();
        server.close();
        dir.remove();
      },
    };
  }

  it("authenticate retries a reset and a 503, and a search retries a 429 and a 500", async () => {
    const f = await fakeElasticsearch(["reset", 503, 200, 429, 500]);
    try {
      expect((await f.es.authenticate()).username).toBe("soc");
      expect(await f.es.search("logs-*", { match_all: {} })).toEqual([]);
      expect(f.calls()).toBe(6);
    } finally {
      await f.stop();
    }
  });

  it("the retries are bounded: a search that keeps getting 500 fails as a transient remote error", async () => {
    const f = await fakeElasticsearch([500, 500, 500, 500, 500, 500]);
    try {
      const error = await f.es.search("logs-*", { match_all: {} }).catch((e) => e);
      expect(isTransientRemoteError(error)).toBe(true);
      expect(f.calls()).toBe(4);
    } finally {
      await f.stop();
    }
  });
});

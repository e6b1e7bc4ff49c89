/**
 * An interrupted teardown can be run again: the built CLI's `teardown` is killed (SIGKILL, and SIGINT at
 * its first step) at every boundary it prints, or runs under 10% faults; the next teardown removes the rest, leaves
 * no orphaned role assignment, and a further teardown plans nothing.
 */
import { describe, expect, it } from "vitest";
import type { FaultOptions } from "../../src/sandbox/common/faults.js";
import { requireBuiltCli } from "../helpers/built-cli.js";
import { atBoundary, type Boundary, boundariesOf, describeBoundary, runChild } from "./helpers/child-cli.js";
import { expectExactlyOneOfEach, expectNothingLeft } from "./helpers/converged.js";
import { type SafetyWorld, startSafetyWorld } from "./helpers/safety-world.js";

const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
const TEARDOWN = ["teardown", "--yes", "--non-interactive"];
const STACK = /\n\s+at .+[:(]\d+:\d+/;
const BOUNDARY = /^(Applying .+|Deleting .+|✓ .+: delete .+)$/;

async function setUpWorld(): Promise<SafetyWorld> {
  const w = await startSafetyWorld({ roleAssignmentDelayMs: 0 });
  const r = await w.run(SETUP);
  if (r.code !== 0) {
    await w.stop();
    throw new Error(`setup failed (exit ${r.code}):\n${r.stderr}`);
  }
  expectExactlyOneOfEach(w);
  return w;
}

async function expectFinished(w: SafetyWorld, context: string) {
  expectNothingLeft(w, undefined, context);
  const again = await w.run(["teardown", "--dry-run", "--json"]);
  const doc = JSON.parse(again.stdout) as { plan: { action: string }[] };
  expect(
    doc.plan.filter((p) => p.action !== "no-op"),
    context,
  ).toEqual([]);
}

async function discoverBoundaries(): Promise<Boundary[]> {
  requireBuiltCli();
  const w = await setUpWorld();
  try {
    const r = await runChild(w, TEARDOWN);
    if (r.code !== 0) throw new Error(`the reference teardown failed (exit ${r.code}):\n${r.stderr}`);
    const lines = r.stderr.split("\n");
    const from = lines.findIndex((l) => /^Apply these \d+ changes\?/.test(l));
    return boundariesOf(lines.slice(from + 1), BOUNDARY);
  } finally {
    await w.stop();
  }
}

const boundaries = await discoverBoundaries();
const scenarios = [
  [
    "SIGINT",
    describeBoundary(boundaries.find((b) => b.shape.startsWith("Applying "))!),
    boundaries.find((b) => b.shape.startsWith("Applying "))!,
  ] as const,
  ...boundaries.map((b) => ["SIGKILL", describeBoundary(b), b] as const),
];

describe("teardown interrupted at every boundary", () => {
  it("found the boundaries of a teardown (Kibana deletions, each Azure deletion)", () => {
    expect(boundaries.filter((b) => b.shape.startsWith("Deleting ")).length).toBeGreaterThanOrEqual(5);
  });

  it.concurrent.each(scenarios)(
    "%s at «%s»: the next teardown removes the rest and a further one plans nothing",
    async (signal, _label, boundary) => {
      const w = await setUpWorld();
      try {
        const r = await runChild(w, TEARDOWN, { killWhen: atBoundary(boundary), signal });
        const said = `killed at: ${r.killedAt}\nexit ${r.code} signal ${r.signal}\n${r.stderr}`;
        expect(r.killedAt, said).toBeDefined();
        expect(r.stderr, said).not.toMatch(STACK);
        if (signal === "SIGINT") expect(r.code, said).toBe(130);
        const again = await w.run(TEARDOWN);
        expect(again.code, `${said}\n---- re-run:\n${again.stderr}`).toBe(0);
        await expectFinished(w, said);
      } finally {
        await w.stop();
      }
    },
    120_000,
  );
});

const faults = (seed: number): FaultOptions => ({
  seed,
  errorRate: 0.1,
  kinds: [429, 500, 503, "reset"],
  retryAfterSeconds: 1,
  latencyMs: [0, 15],
});

describe.concurrent("teardown under 10% faults", () => {
  it.each([1, 2, 3, 4, 5, 6])(
    "seed %i: teardown completes or stops cleanly, and re-runs finish it",
    async (seed) => {
      const w = await setUpWorld();
      try {
        w.azure.faults.set(faults(seed));
        w.elastic.faults.set(faults(seed));
        const transcript: string[] = [];
        let last = await w.run(TEARDOWN);
        transcript.push(`run 1: exit ${last.code}\n${last.stderr}`);
        for (let i = 0; i < 2 && last.code !== 0; i++) {
          expect(last.stderr, transcript.join("\n----\n")).not.toMatch(STACK);
          expect(last.stderr, transcript.join("\n----\n")).not.toMatch(/Error \[UNEXPECTED\]/);
          last = await w.run(TEARDOWN);
          transcript.push(`run ${i + 2}: exit ${last.code}\n${last.stderr}`);
        }
        w.azure.faults.set(undefined);
        w.elastic.faults.set(undefined);
        if (last.code !== 0) {
          last = await w.run(TEARDOWN);
          transcript.push(`run without faults: exit ${last.code}\n${last.stderr}`);
        }
        expect(last.code, transcript.join("\n----\n")).toBe(0);
        await expectFinished(w, transcript.join("\n----\n"));
      } finally {
        await w.stop();
      }
    },
    180_000,
  );
});

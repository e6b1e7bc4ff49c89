/**
 * Interruptions: the built CLI's `setup`, as a separate process, is killed with SIGINT and with SIGKILL
 * at every step boundary (each "Applying …" and each step's "✓ …: create …" line) and in the middle of each Azure
 * deployment ("Deploying …"). SIGINT prints what was done and exits 130; then `plan` is honest about what is left
 * (it plans to create exactly what is missing), and the next `setup` converges with no duplicates and no orphans.
 */
import { describe, expect, it } from "vitest";
import { requireBuiltCli } from "../helpers/built-cli.js";
import { atBoundary, type Boundary, boundariesOf, describeBoundary, runChild } from "./helpers/child-cli.js";
import { expectExactlyOneOfEach, PREFIX } from "./helpers/converged.js";
import { expectHonestPlan, type PlanEntry } from "./helpers/honest-plan.js";
import { startSafetyWorld } from "./helpers/safety-world.js";

const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
const STACK = /\n\s+at .+[:(]\d+:\d+/;
const APPLY_STARTED = /^Apply these \d+ changes\?/;
const BOUNDARY = /^(Applying .+|Deploying .+|✓ .+: (create|update) .+)$/;

/** The boundaries of an uninterrupted run, in the order it printed them (discovered, so new steps are covered). */
async function discoverBoundaries(): Promise<Boundary[]> {
  requireBuiltCli();
  const w = await startSafetyWorld({ roleAssignmentDelayMs: 0 });
  try {
    const r = await runChild(w, SETUP);
    if (r.code !== 0) throw new Error(`the reference setup failed (exit ${r.code}):\n${r.stderr}`);
    const lines = r.stderr.split("\n");
    const from = lines.findIndex((l) => APPLY_STARTED.test(l));
    return boundariesOf(lines.slice(from + 1), BOUNDARY);
  } finally {
    await w.stop();
  }
}

const boundaries = await discoverBoundaries();
const scenarios = boundaries.flatMap((b) => {
  const both = /^(Applying|Deploying) /.test(b.shape);
  // A step's end is the next step's start for SIGINT (it stops at the next safe point): SIGKILL only there.
  return (both ? (["SIGINT", "SIGKILL"] as const) : (["SIGKILL"] as const)).map(
    (signal) => [signal, describeBoundary(b), b] as const,
  );
});

/** How each SIGINT run ended, to show that most did stop early (exit 130) rather than finish. */
const sigintCodes: (number | null)[] = [];

describe("setup interrupted at every step boundary", () => {
  it("found the step boundaries of a run (Azure deployments, Logic Apps, Kibana objects)", () => {
    expect(boundaries.some((b) => /^Deploying /.test(b.shape))).toBe(true);
    expect(boundaries.filter((b) => /^Applying /.test(b.shape)).length).toBeGreaterThanOrEqual(5);
  });

  it.concurrent.each(scenarios)(
    "%s at «%s»: the next plan is honest and the next setup converges with no duplicates or orphans",
    async (signal, _label, boundary) => {
      const w = await startSafetyWorld({ roleAssignmentDelayMs: 0 });
      try {
        const r = await runChild(w, SETUP, { killWhen: atBoundary(boundary), signal });
        const said = `killed at: ${r.killedAt}\nexit ${r.code} signal ${r.signal}\n${r.stderr}`;
        expect(r.killedAt, said).toBeDefined();
        expect(r.stderr, `no stack trace\n${said}`).not.toMatch(STACK);
        if (signal === "SIGINT") {
          sigintCodes.push(r.code);
          if (r.code === 0) {
            // The signal arrived after the last change: finishing is the honest outcome.
            expect(r.stderr, said).toMatch(/Setup complete/);
          } else if (/^Interrupted while verifying/m.test(r.stderr)) {
            // Every change was applied; the message about it is pinned in interrupt-after-apply.test.ts.
            expect(r.code, said).toBe(130);
          } else {
            expect(r.code, said).toBe(130);
            expect(r.stderr, said).toMatch(/^Interrupted: \d+ changes? applied, \d+ not\. Re-run setup to continue/m);
            expect(r.stderr, said).toMatch(/Done: /);
          }
        } else {
          expect(r.signal, said).toBe("SIGKILL");
        }

        const plan = await w.run(["plan", "--json"]);
        const doc = JSON.parse(plan.stdout) as { plan: PlanEntry[] };
        expectHonestPlan(w, doc.plan, `${said}\n---- plan:\n${plan.stderr}`);

        const again = await w.run(SETUP);
        expect(again.code, `${said}\n---- re-run:\n${again.stderr}`).toBe(0);
        const settled = await w.run(["plan", "--detailed-exitcode"]);
        expect(settled.code, `${said}\n---- plan after re-run:\n${settled.stdout}`).toBe(0);
        expectExactlyOneOfEach(w, said);
        // No orphans: nothing with our prefix beyond the expected objects, in Kibana or Azure.
        expect(w.elastic.state.connectors().length, said).toBe(2);
        const ours = w.azure.state
          .list()
          .filter((res) => res.name.startsWith(PREFIX) && !/deployments$/i.test(res.type))
          .map((res) => `${res.type}/${res.name}`)
          .sort();
        expect(ours, said).toEqual(
          [
            `Microsoft.Insights/dataCollectionRules/${PREFIX}-alerts-dcr`,
            `Microsoft.Logic/workflows/${PREFIX}-alert-ingest`,
            `Microsoft.Logic/workflows/${PREFIX}-case-get`,
            `Microsoft.Logic/workflows/${PREFIX}-case-sync`,
          ].sort(),
        );
      } finally {
        await w.stop();
      }
    },
    180_000,
  );
});

describe("SIGINT outcomes", () => {
  it("every SIGINT run ended, and all but the last boundaries stopped early with exit 130", () => {
    const sigints = scenarios.filter(([s]) => s === "SIGINT").length;
    expect(sigintCodes.length).toBe(sigints);
    expect(sigintCodes.filter((c) => c === 130).length).toBeGreaterThanOrEqual(sigints - 2);
  });
});

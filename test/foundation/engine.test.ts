import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Chalk } from "chalk";
import { resolveConfig } from "../../src/config/load.js";
import { createStepContext } from "../../src/engine/context.js";
import { createReport } from "../../src/engine/report.js";
import { runSetupEngine } from "../../src/engine/run.js";
import type { Step, StepContext } from "../../src/engine/types.js";
import { AbortedError, InputError, RemoteError, VerificationError } from "../../src/errors.js";
import { NonInteractiveIoHost } from "../../src/io/non-interactive-host.js";
import { createOutput } from "../../src/io/output.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { fakeStep, turns } from "../helpers/fake-steps.js";
import { captureStream } from "../helpers/streams.js";
import { TestIoHost } from "../helpers/test-io-host.js";

const style = new Chalk({ level: 0 });
let dir: TempDir;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
  clearRegisteredSecrets();
});

async function context(io: StepContext["io"], signal?: AbortSignal): Promise<StepContext> {
  const { config } = await resolveConfig({
    env: { ...VALID_ENV },
    cwd: dir.path,
    io: new TestIoHost({ interactive: false }),
  });
  return createStepContext({ config, io, signal });
}

const create = (name: string) => ({ resource: "connector", name, action: "create" as const, reason: "not found" });
const noop = (name: string) => ({ resource: "connector", name, action: "no-op" as const, reason: "matches" });

describe("setup engine: plan → confirm → apply → verify", () => {
  it("plans every step, prints one table with Azure and Kibana rows, asks once, applies, then verifies", async () => {
    const log: string[] = [];
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const steps = [
      fakeStep({ id: "azure-a", target: "azure", changes: [create("wf-1")], log }),
      fakeStep({ id: "kibana-b", after: ["azure-a"], changes: [create("conn-1"), noop("rule-1")], log }),
    ];
    const report = createReport("setup");
    const result = await runSetupEngine({ steps, ctx: await context(io), report, style });

    expect(io.asked.map((q) => q.code)).toEqual(["confirm.apply"]);
    expect(io.results[0]).toMatch(/TARGET\s+RESOURCE\s+NAME\s+ACTION\s+REASON/);
    expect(io.results[0]).toMatch(/azure\s+connector\s+wf-1\s+\+ create\s+not found/);
    expect(io.results[0]).toMatch(/kibana\s+connector\s+rule-1\s+no-op/);
    expect(io.results[0]).toContain("Plan: 2 to create, 0 to update, 0 to delete, 1 unchanged.");
    const lastPlan = Math.max(log.indexOf("plan-end azure-a"), log.indexOf("plan-end kibana-b"));
    expect(log.indexOf("apply-start azure-a wf-1")).toBeGreaterThan(lastPlan);
    expect(log.indexOf("apply-start kibana-b conn-1")).toBeGreaterThan(log.indexOf("apply-end azure-a"));
    expect(log.slice(-2).sort()).toEqual(["verify azure-a", "verify kibana-b"]);
    expect(result.changed).toBe(true);
    expect(report.plan).toHaveLength(3);
    expect(report.resources.map((r) => r.status)).toEqual(["applied", "applied", "unchanged"]);
    expect(report.checks.map((c) => c.status)).toEqual(["pass", "pass"]);
  });

  it("apply receives only the step's actionable changes, never its no-ops", async () => {
    const log: string[] = [];
    const steps = [fakeStep({ id: "s", changes: [noop("a"), create("b")], log })];
    await runSetupEngine({
      steps,
      ctx: await context(new TestIoHost({ assumeYes: true, answers: { "confirm.apply": true } })),
      report: createReport("setup"),
      style,
    });
    expect(log).toContain("apply-start s b");
  });

  it("steps with no `after` path between them apply concurrently", async () => {
    const log: string[] = [];
    let bStarted = false;
    const steps = [
      fakeStep({
        id: "a",
        changes: [create("a1")],
        log,
        onApply: async () => {
          // Give the engine a chance to start b while a is still running; no timers.
          for (let i = 0; i < 50 && !bStarted; i++) await turns(1);
        },
      }),
      fakeStep({
        id: "b",
        changes: [create("b1")],
        log,
        onApply: () => {
          bStarted = true;
        },
      }),
    ];
    await runSetupEngine({
      steps,
      ctx: await context(new TestIoHost({ answers: { "confirm.apply": true } })),
      report: createReport("setup"),
      style,
    });
    expect(log.indexOf("apply-start b b1")).toBeLessThan(log.indexOf("apply-end a"));
  });

  it("a step `after` another waits for it, in plan and in apply", async () => {
    const log: string[] = [];
    const steps = [
      fakeStep({ id: "first", changes: [create("x")], log, onPlan: () => turns(5), onApply: () => turns(5) }),
      fakeStep({ id: "second", after: ["first"], changes: [create("y")], log }),
    ];
    await runSetupEngine({
      steps,
      ctx: await context(new TestIoHost({ answers: { "confirm.apply": true } })),
      report: createReport("setup"),
      style,
    });
    expect(log.indexOf("plan-start second")).toBeGreaterThan(log.indexOf("plan-end first"));
    expect(log.indexOf("apply-start second y")).toBeGreaterThan(log.indexOf("apply-end first"));
  });

  it("disabled steps neither plan nor apply, and steps after them still run", async () => {
    const log: string[] = [];
    const steps = [
      fakeStep({ id: "off", enabled: false, changes: [create("x")], log }),
      fakeStep({ id: "on", after: ["off"], changes: [create("y")], log }),
    ];
    await runSetupEngine({
      steps,
      ctx: await context(new TestIoHost({ answers: { "confirm.apply": true } })),
      report: createReport("setup"),
      style,
    });
    expect(log.some((l) => l.includes(" off"))).toBe(false);
    expect(log).toContain("apply-start on y");
  });

  it("--dry-run stops after the plan: no confirmation, no apply, no verify", async () => {
    const log: string[] = [];
    const io = new TestIoHost();
    const result = await runSetupEngine({
      steps: [fakeStep({ id: "s", changes: [create("x")], log })],
      ctx: await context(io),
      report: createReport("plan"),
      dryRun: true,
      style,
    });
    expect(io.asked).toEqual([]);
    expect(log).toEqual(["plan-start s", "plan-end s"]);
    expect(result.changed).toBe(true);
  });

  it("a plan with only no-ops asks nothing, applies nothing and still verifies", async () => {
    const log: string[] = [];
    const io = new TestIoHost();
    const result = await runSetupEngine({
      steps: [fakeStep({ id: "s", changes: [noop("x")], log })],
      ctx: await context(io),
      report: createReport("setup"),
      style,
    });
    expect(result.changed).toBe(false);
    expect(io.asked).toEqual([]);
    expect(log).toEqual(["plan-start s", "plan-end s", "verify s"]);
  });

  it("a declined confirmation changes nothing and aborts (exit 130)", async () => {
    const log: string[] = [];
    const io = new TestIoHost({ answers: { "confirm.apply": false } });
    const error = await runSetupEngine({
      steps: [fakeStep({ id: "s", changes: [create("x")], log })],
      ctx: await context(io),
      report: createReport("setup"),
      style,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.exitCode).toBe(130);
    expect(log.some((l) => l.startsWith("apply"))).toBe(false);
  });

  it("a destructive change is refused without --yes in a non-interactive run", async () => {
    const log: string[] = [];
    const io = new NonInteractiveIoHost({ output: createOutput({ stdout: captureStream(), stderr: captureStream() }) });
    const steps = [fakeStep({ id: "s", changes: [{ ...create("x"), action: "delete", destructive: true }], log })];
    const error = await runSetupEngine({ steps, ctx: await context(io), report: createReport("setup"), style }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "CONFIRMATION_REQUIRED", exitCode: 3 });
    expect(error.suggestion).toContain("--yes");
    expect(log.some((l) => l.startsWith("apply"))).toBe(false);
  });

  it("a destructive change is approved by --yes in a non-interactive run", async () => {
    const log: string[] = [];
    const io = new NonInteractiveIoHost({
      output: createOutput({ stdout: captureStream(), stderr: captureStream() }),
      assumeYes: true,
    });
    const steps = [fakeStep({ id: "s", changes: [{ ...create("x"), action: "delete", destructive: true }], log })];
    await runSetupEngine({ steps, ctx: await context(io), report: createReport("setup"), style });
    expect(log).toContain("apply-start s x");
  });

  it("a non-destructive plan goes on without --yes in a non-interactive run", async () => {
    const log: string[] = [];
    const stderr = captureStream();
    const io = new NonInteractiveIoHost({ output: createOutput({ stdout: captureStream(), stderr }) });
    await runSetupEngine({
      steps: [fakeStep({ id: "s", changes: [create("x")], log })],
      ctx: await context(io),
      report: createReport("setup"),
      style,
    });
    expect(log).toContain("apply-start s x");
    expect(stderr.text).toContain("(non-interactive: the default)");
  });

  it("a failing step stops the run: later steps do not start, and done / not done is reported", async () => {
    const log: string[] = [];
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const steps: Step[] = [
      fakeStep({ id: "ok", changes: [create("made")], log }),
      fakeStep({
        id: "bad",
        after: ["ok"],
        changes: [create("broken")],
        log,
        onApply: () => {
          throw new InputError("boom", { code: "X" });
        },
      }),
      fakeStep({ id: "later", after: ["bad"], changes: [create("never")], log }),
    ];
    const report = createReport("setup");
    const error = await runSetupEngine({ steps, ctx: await context(io), report, style }).catch((e) => e);
    expect(error.message).toBe("boom");
    expect(log.some((l) => l.includes("later never"))).toBe(false);
    expect(report.resources.map((r) => [r.name, r.status])).toEqual([
      ["made", "applied"],
      ["broken", "failed"],
      ["never", "not-applied"],
    ]);
    expect(io.messages.map((m) => m.text).join("\n")).toContain(
      [
        "Done: 1 of 3 changes",
        "  create connector made",
        "Not done: 2",
        "  create connector broken (failed)",
        "  create connector never",
      ].join("\n"),
    );
  });

  it("Ctrl-C during apply stops at the next step boundary, reports, and aborts with 130", async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const steps = [
      fakeStep({ id: "one", changes: [create("a")], log, onApply: () => controller.abort() }),
      fakeStep({ id: "two", after: ["one"], changes: [create("b")], log }),
    ];
    const report = createReport("setup");
    const error = await runSetupEngine({ steps, ctx: await context(io, controller.signal), report, style }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/Interrupted: 1 change applied, 1 not/);
    expect(log).toContain("apply-end one");
    expect(log.some((l) => l.startsWith("apply-start two"))).toBe(false);
    expect(report.resources.map((r) => r.status)).toEqual(["applied", "not-applied"]);
  });

  it("a failed check fails the run with exit 6 and the checks in the report", async () => {
    const log: string[] = [];
    const steps = [
      fakeStep({
        id: "s",
        changes: [noop("x")],
        log,
        checks: [{ id: "c", title: "connector answers", status: "fail", cause: "404", remedy: "run setup again" }],
      }),
    ];
    const report = createReport("setup");
    const io = new TestIoHost();
    const error = await runSetupEngine({ steps, ctx: await context(io), report, style }).catch((e) => e);
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.exitCode).toBe(6);
    expect(error.suggestion).toBe("run setup again");
    expect(report.checks[0]!.status).toBe("fail");
    expect(io.results.at(-1)).toMatch(/FAIL\s+connector answers/);
  });

  it("an `after` naming no step at all is a bug reported before anything runs", async () => {
    const log: string[] = [];
    const error = await runSetupEngine({
      steps: [fakeStep({ id: "s", after: ["typo"], log })],
      ctx: await context(new TestIoHost()),
      report: createReport("setup"),
      style,
    }).catch((e) => e);
    expect(error.code).toBe("STEP_UNKNOWN_DEPENDENCY");
    expect(log).toEqual([]);
  });

  it("steps that depend on each other in a cycle are reported, not left hanging", async () => {
    const log: string[] = [];
    const steps = [fakeStep({ id: "a", after: ["b"], log }), fakeStep({ id: "b", after: ["a"], log })];
    const error = await runSetupEngine({
      steps,
      ctx: await context(new TestIoHost()),
      report: createReport("setup"),
      style,
    }).catch((e) => e);
    expect(error.code).toBe("STEP_CYCLE");
    expect(log).toEqual([]);
  });

  it("a verify that throws becomes a failed check; the other checks still report", async () => {
    const log: string[] = [];
    const broken = fakeStep({ id: "broken", changes: [noop("x")], log });
    broken.verify = async () => {
      throw new InputError("cannot read the connector", { code: "X", suggestion: "check the API key" });
    };
    const report = createReport("setup");
    const error = await runSetupEngine({
      steps: [broken, fakeStep({ id: "fine", changes: [noop("y")], log })],
      ctx: await context(new TestIoHost()),
      report,
      style,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(VerificationError);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["broken.verify", "fail"],
      ["fine.ok", "pass"],
    ]);
    expect(report.checks[0]!.remedy).toBe("check the API key");
  });
});

describe("setup engine: transient remote failures and stops after apply", () => {
  const transient = (status = 503) =>
    new RemoteError(`Kibana answered ${status}`, { code: "KIBANA_SERVER_ERROR", remote: "kibana", status });
  /** The engine's wait before its one retry goes through ctx.sleep: recorded, not waited. */
  async function fastContext(io: StepContext["io"], signal?: AbortSignal) {
    const waits: number[] = [];
    const ctx: StepContext = {
      ...(await context(io, signal)),
      sleep: async (ms: number) => {
        waits.push(ms);
      },
    };
    return { ctx, waits };
  }
  const text = (io: TestIoHost) => io.messages.map((m) => m.text).join("\n");

  it("a check that fails once on a transient remote error (503) is run again after a wait, and passes", async () => {
    const log: string[] = [];
    const step = fakeStep({ id: "s", changes: [noop("x")], log });
    let calls = 0;
    step.verify = async () => {
      calls++;
      if (calls === 1) throw transient();
      return [{ id: "s.ok", title: "s is in place", status: "pass" }];
    };
    const { ctx, waits } = await fastContext(new TestIoHost());
    const result = await runSetupEngine({ steps: [step], ctx, report: createReport("setup"), style });
    expect(calls).toBe(2);
    expect(waits).toHaveLength(1);
    expect(result.checks.map((c) => c.status)).toEqual(["pass"]);
  });

  it("a check that fails on a non-transient error is not retried", async () => {
    const log: string[] = [];
    const step = fakeStep({ id: "s", changes: [noop("x")], log });
    let calls = 0;
    step.verify = async () => {
      calls++;
      throw new RemoteError("Kibana answered 404", { code: "KIBANA_REQUEST_FAILED", remote: "kibana", status: 404 });
    };
    const { ctx } = await fastContext(new TestIoHost());
    const error = await runSetupEngine({ steps: [step], ctx, report: createReport("setup"), style }).catch((e) => e);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(VerificationError);
  });

  it("a check still failing on a transient error after apply: exit 1, every change applied, verify or setup again continues", async () => {
    const log: string[] = [];
    const flaky = fakeStep({ id: "flaky", changes: [create("conn")], log });
    flaky.verify = async () => {
      throw transient(429);
    };
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const { ctx } = await fastContext(io);
    const report = createReport("setup");
    const error = await runSetupEngine({
      steps: [flaky, fakeStep({ id: "fine", changes: [noop("y")], log })],
      ctx,
      report,
      style,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).not.toBeInstanceOf(VerificationError);
    expect(error.exitCode).toBe(1);
    expect(error.code).toBe("VERIFY_INTERRUPTED");
    expect(error.message).toMatch(/All 1 change was applied, but 1 of 2 configuration checks could not run/);
    expect(error.suggestion).toMatch(/Nothing is left half-done: run `sentinel-elastic verify` \(or setup again\)/);
    expect(text(io)).toContain("Done: 1 of 1 change\n  create connector conn");
    expect(report.checks.find((c) => c.id === "flaky.verify")?.remedy).toMatch(/not a problem with this object/);
  });

  it("a check that really fails after apply still lists what was done and says a re-run continues (exit 6)", async () => {
    const log: string[] = [];
    const steps = [
      fakeStep({
        id: "s",
        changes: [create("conn")],
        log,
        checks: [{ id: "c", title: "connector answers", status: "fail", cause: "404" }],
      }),
    ];
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const { ctx } = await fastContext(io);
    const error = await runSetupEngine({ steps, ctx, report: createReport("setup"), style }).catch((e) => e);
    expect(error).toBeInstanceOf(VerificationError);
    expect(text(io)).toContain("Done: 1 of 1 change\n  create connector conn");
    expect(text(io)).toMatch(/re-run `sentinel-elastic verify` to finish the checks, or setup again to continue/);
    expect(error.suggestion).toMatch(/run `sentinel-elastic verify` \(or setup again\) to continue/);
  });

  it("Ctrl-C during the checks after apply says the changes were applied, not that nothing was changed", async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const step = fakeStep({ id: "s", changes: [create("a"), create("b")], log });
    step.verify = async () => {
      controller.abort();
      throw new AbortedError("Interrupted while waiting.");
    };
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const { ctx } = await fastContext(io, controller.signal);
    const error = await runSetupEngine({ steps: [step], ctx, report: createReport("setup"), style }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).not.toMatch(/nothing was changed/);
    expect(error.message).toMatch(/all 2 changes were applied and nothing is left half-done/);
    expect(text(io)).toContain("Done: 2 of 2 changes\n  create connector a\n  create connector b");
  });

  it("Ctrl-C during the checks when nothing needed changing still says nothing was changed", async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const step = fakeStep({ id: "s", changes: [noop("a")], log });
    step.verify = async () => {
      controller.abort();
      throw new AbortedError("Interrupted while waiting.");
    };
    const { ctx } = await fastContext(new TestIoHost(), controller.signal);
    const error = await runSetupEngine({ steps: [step], ctx, report: createReport("setup"), style }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/nothing was changed/);
  });

  it("an apply that stops on a remote error says how far it got and that running setup again continues", async () => {
    const log: string[] = [];
    const steps = [
      fakeStep({ id: "ok", changes: [create("made")], log }),
      fakeStep({
        id: "bad",
        after: ["ok"],
        changes: [create("broken")],
        log,
        onApply: () => {
          throw transient(500);
        },
      }),
    ];
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const { ctx } = await fastContext(io);
    const error = await runSetupEngine({ steps, ctx, report: createReport("setup"), style }).catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(text(io)).toContain("Done: 1 of 2 changes\n  create connector made");
    expect(text(io)).toMatch(/Stopped after 1 change of 2: re-run setup to continue/);
  });
});

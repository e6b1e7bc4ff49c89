/**
 * Ctrl-C after the last change was applied, while setup runs its configuration checks: the run stops (exit 130)
 * and must not claim that nothing was changed. In-process, with the same AbortSignal that the bin's SIGINT
 * handler aborts, fired when the checks first read the clock after every change was applied: the timing is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { demoClock } from "../../src/demo/run-demo.js";
import { captureStream } from "../helpers/streams.js";
import { expectExactlyOneOfEach } from "./helpers/converged.js";
import { type SafetyWorld, startSafetyWorld } from "./helpers/safety-world.js";

let w: SafetyWorld;
beforeAll(async () => {
  w = await startSafetyWorld({ roleAssignmentDelayMs: 0 });
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

/** Notes when every step that planned changes ("✓ <title>: N changes") has reported them applied ("✓ <title>: create …"). */
function watchApplies(onAllApplied: () => void) {
  const base = captureStream(false);
  const planned = new Set<string>();
  const done = new Set<string>();
  let applying = false;
  return {
    ...base,
    get text() {
      return base.text;
    },
    write(chunk: string) {
      base.write(chunk);
      for (const line of chunk.split("\n")) {
        if (/^Apply these \d+ changes\?/.test(line)) applying = true;
        const p = /^✓ (.+): \d+ changes?$/.exec(line);
        if (p && !applying) planned.add(p[1]!);
        const d = /^✓ (.+?): (create|update|delete) /.exec(line);
        if (d && applying) done.add(d[1]!);
      }
      if (applying && planned.size > 0 && [...planned].every((t) => done.has(t))) onAllApplied();
      return true;
    },
  };
}

describe("Ctrl-C after every change was applied", () => {
  // Once said "Interrupted while verifying; nothing was changed." after every change was applied; now it says what
  // was applied (all N changes) and that `verify` (or setup again) finishes the checks (src/engine/run.ts).
  it("says that the changes were applied, not that nothing was changed", async () => {
    const controller = new AbortController();
    let allApplied = false;
    const stderr = watchApplies(() => {
      allApplied = true;
    });
    // The configuration checks read the clock when they start: Ctrl-C then, with every change applied.
    const clock = demoClock({ clock: w.elastic.clock }, w.speed);
    const watchedClock = {
      now: () => {
        if (allApplied && !controller.signal.aborted) queueMicrotask(() => controller.abort());
        return clock.now();
      },
      sleep: clock.sleep,
    };
    const stdout = captureStream(false);
    const code = await runCli(
      ["node", "sentinel-elastic", "setup", "--yes", "--non-interactive", "--no-verify", ...w.configArgs()],
      {
        stdin: { isTTY: false } as NodeJS.ReadableStream & { isTTY?: boolean },
        stdout,
        stderr,
        env: w.runEnv(),
        cwd: w.dir,
        signal: controller.signal,
        overrides: { azureCredential: w.azure.credential, azureCaCerts: [w.azure.caCert] },
        clock: watchedClock,
      },
    );
    expect(controller.signal.aborted).toBe(true);
    expectExactlyOneOfEach(w, stderr.text);
    expect(code, stderr.text).toBe(130);
    expect(stderr.text).not.toMatch(/nothing was changed/);
    expect(stderr.text).toMatch(/applied/);
  }, 60_000);
});

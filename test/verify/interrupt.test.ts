/**
 * Ctrl-C during verify: the waits stop at once and the run is "interrupted" (exit 130), not a verification
 * failure with "… before the timeout" (exit 6).
 */
import { describe, expect, it } from "vitest";
import { createSharedState } from "../../src/engine/shared-state.js";
import type { StepContext } from "../../src/engine/types.js";
import { AbortedError, exitCodeOf } from "../../src/errors.js";
import { resolveNames } from "../../src/names.js";
import { runVerification } from "../../src/verify/index.js";
import { waitFor } from "../../src/verify/wait.js";
import { TestIoHost } from "../helpers/test-io-host.js";
import { makeConfig } from "../steps/kibana/helpers.js";
import { createFakeWorld } from "./fake-world.js";

const KIBANA = "http://kibana.local";

describe("Ctrl-C during verify", () => {
  it("waitFor throws AbortedError when the signal is aborted, instead of reporting 'not found'", async () => {
    const controller = new AbortController();
    let t = 0;
    let polls = 0;
    const clock = {
      now: () => t,
      signal: controller.signal,
      async sleep(ms: number) {
        t += ms;
      },
    };
    const wait = waitFor(
      async () => {
        polls++;
        if (polls === 2) controller.abort();
        return undefined;
      },
      clock,
      { deadline: 60_000 },
    );
    await expect(wait).rejects.toBeInstanceOf(AbortedError);
    expect(polls).toBe(2);
    expect(t).toBeLessThan(60_000);
  });

  it("a run interrupted while waiting for the row ends as interrupted (exit 130), not a failed check (exit 6)", async () => {
    const controller = new AbortController();
    let t = 0;
    let sleeps = 0;
    const shared = createSharedState();
    shared.kibana = { version: "9.2.0", baseUrl: KIBANA, space: "default" };
    const config = makeConfig({});
    const ctx: StepContext = {
      config,
      names: resolveNames(config),
      io: new TestIoHost(),
      clients: {} as StepContext["clients"],
      shared,
      signal: controller.signal,
      now: () => t,
      async sleep(ms) {
        t += ms;
        // Ctrl-C a few polls into the waits (ingestion never happens in this world).
        if (++sleeps === 3) controller.abort();
      },
    };
    const world = createFakeWorld({ ingestion: true }, `${KIBANA}/app/security/cases/`, { now: () => t });
    const error = await runVerification(ctx, { probes: world.probes, timeoutMs: 60_000, only: "alerts" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(exitCodeOf(error)).toBe(130);
    expect(String(error.message)).toMatch(/Interrupted/);
    expect(String(error.message)).not.toMatch(/before the timeout/);
  });
});

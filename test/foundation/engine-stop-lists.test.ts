/**
 * A stopped run says what it did as short lists, one object per line: done, interrupted (Ctrl-C came while its
 * step was waiting: not a failure) and not done. A teardown with nothing of ours left says so.
 */
import { Chalk } from "chalk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTeardown } from "../../src/commands/teardown.js";
import { resolveConfig } from "../../src/config/load.js";
import { createStepContext } from "../../src/engine/context.js";
import { createReport } from "../../src/engine/report.js";
import { runSetupEngine } from "../../src/engine/run.js";
import type { StepContext } from "../../src/engine/types.js";
import { AbortedError } from "../../src/errors.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { fakeStep } from "../helpers/fake-steps.js";
import { expectGolden } from "../helpers/golden.js";
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
const create = (name: string, resource = "connector") => ({
  resource,
  name,
  action: "create" as const,
  reason: "not found",
});

describe("what a stopped run did", () => {
  it("Ctrl-C while a step waits: that step is interrupted (not failed), the rest is listed one per line (golden)", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const io = new TestIoHost({ answers: { "confirm.apply": true } });
    const steps = [
      fakeStep({ id: "conn", changes: [create("se-demo-alerts"), create("se-demo-cases")], log }),
      fakeStep({
        id: "roles",
        after: ["conn"],
        changes: [create("Microsoft Sentinel Reader for se-demo-case-get on sentinel-demo", "role assignment")],
        log,
        onApply: () => {
          controller.abort();
          throw new AbortedError("Interrupted while waiting.");
        },
      }),
      fakeStep({
        id: "rule",
        after: ["roles"],
        changes: [create("Elastic Security alerts (se-demo)", "analytics rule")],
        log,
      }),
    ];
    const report = createReport("setup");
    const error = await runSetupEngine({ steps, ctx: await context(io, controller.signal), report, style }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(report.resources.map((r) => r.status)).toEqual(["applied", "applied", "interrupted", "not-applied"]);
    const lists = io.messages.find((m) => m.text.startsWith("Done: "))!.text;
    for (const line of lists.split("\n")) expect(line.length).toBeLessThan(100);
    expectGolden(lists, new URL("./goldens/stop-lists.txt", import.meta.url));
  });

  it("a second teardown says there is nothing to remove, not that everything is in place", async () => {
    const io = new TestIoHost({ interactive: false });
    const steps = [fakeStep({ id: "gone", changes: [], log: [] })];
    await runTeardown({ yes: true }, { io, env: { ...VALID_ENV }, cwd: dir.path, steps });
    const said = io.messages.map((m) => m.text);
    expect(said).toContain("Nothing to remove: nothing of ours is left for this prefix.");
    expect(said.join("\n")).not.toMatch(/already in place|Teardown complete/);
  });
});

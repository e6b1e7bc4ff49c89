/**
 * Every wait says what it waits for, how long so far, the usual duration and the bound: on a terminal one live
 * line redrawn at each poll, otherwise a line at the start and then one every ~30 s. Time is a test clock.
 */
import { describe, expect, it } from "vitest";
import { formatDuration, startWait, waitLine } from "../../src/io/wait-progress.js";
import { waitFor } from "../../src/verify/wait.js";
import { TestIoHost } from "../helpers/test-io-host.js";

function testClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    sleep: async (ms: number) => {
      t += ms;
    },
    signal: new AbortController().signal,
  };
}

class Host extends TestIoHost {
  constructor(readonly live: boolean) {
    super({ interactive: false });
  }
}

const spec = {
  what: "the alert's row in SentinelElastic_CL",
  usual: "20 s–3 min",
  boundMs: 15 * 60_000,
  boundBy: "--timeout 15 min",
};

describe("wait line", () => {
  it("says what, how long so far, the usual duration and the bound", () => {
    expect(waitLine(spec, 65_000, 0)).toBe(
      "Waiting for the alert's row in SentinelElastic_CL: 1 min 05 s so far (usually 20 s–3 min; gives up at 15 min, --timeout 15 min)",
    );
  });

  it("with a deadline it counts down what is left", () => {
    const line = waitLine({ what: "x", deadline: 900_000, boundBy: "--timeout 15 min" }, 120_000, 120_000);
    expect(line).toBe("Waiting for x: 2 min so far (gives up in 13 min, --timeout 15 min)");
  });

  it("durations read at a glance", () => {
    expect([formatDuration(42_000), formatDuration(185_000), formatDuration(3_720_000)]).toEqual([
      "42 s",
      "3 min 05 s",
      "1 h 02 min",
    ]);
  });
});

describe("startWait", () => {
  it("without a terminal: a line at the start, then one every ~30 s of clock time, however often it polls", () => {
    const clock = testClock();
    const io = new Host(false);
    const wait = startWait({ io, now: clock.now }, spec);
    for (let i = 0; i < 90; i++) {
      clock.advance(1000);
      wait.tick();
    }
    wait.succeed();
    expect(io.progressLines).toEqual([
      "start Waiting for the alert's row in SentinelElastic_CL (usually 20 s–3 min; gives up at 15 min, --timeout 15 min)",
      "update Waiting for the alert's row in SentinelElastic_CL: 30 s so far (usually 20 s–3 min; gives up at 15 min, --timeout 15 min)",
      "update Waiting for the alert's row in SentinelElastic_CL: 1 min so far (usually 20 s–3 min; gives up at 15 min, --timeout 15 min)",
      "update Waiting for the alert's row in SentinelElastic_CL: 1 min 30 s so far (usually 20 s–3 min; gives up at 15 min, --timeout 15 min)",
      "succeed the alert's row in SentinelElastic_CL: 1 min 30 s",
    ]);
  });

  it("on a terminal: the one live line is redrawn at every poll", () => {
    const clock = testClock();
    const io = new Host(true);
    const wait = startWait({ io, now: clock.now }, spec);
    for (let i = 0; i < 5; i++) {
      clock.advance(2000);
      wait.tick();
    }
    wait.stop();
    expect(io.progressLines.filter((l) => l.startsWith("update"))).toHaveLength(5);
    expect(io.progressLines.at(-2)).toContain(": 10 s so far");
  });
});

describe("a wait whose subject moves on (a deployment's resources)", () => {
  it("the live line says the latest state and the time so far", () => {
    const clock = testClock();
    const io = new Host(true);
    const progress = io.progress("Deploying d to rg…");
    const spec = { what: "deployment d in rg" };
    const wait = startWait({ io, now: clock.now }, spec, progress);
    clock.advance(12_000);
    spec.what = "deployment d in rg (3 of 7 resources done)";
    wait.tick();
    expect(io.progressLines.at(-1)).toBe("update Waiting for deployment d in rg (3 of 7 resources done): 12 s so far");
  });
});

describe("verify's waitFor shows its wait", () => {
  it("silent when the evidence is there at the first look", async () => {
    const clock = { ...testClock(), io: new Host(false) };
    await waitFor(async () => "row", clock, { deadline: clock.now() + 60_000, show: { what: "the row" } });
    expect(clock.io.progressLines).toEqual([]);
  });

  it("a wait that times out says what it waited for and for how long", async () => {
    const base = testClock();
    const io = new Host(false);
    const clock = { ...base, io, bound: "--timeout 2 min" };
    const r = await waitFor(async () => undefined, clock, {
      deadline: base.now() + 120_000,
      show: { what: "the row", usual: "20 s–3 min" },
    });
    expect(r.ok).toBe(false);
    expect(io.progressLines[0]).toBe(
      "start Waiting for the row (usually 20 s–3 min; gives up in 2 min, --timeout 2 min)",
    );
    expect(io.progressLines.some((l) => /^update Waiting for the row: 30 s so far/.test(l))).toBe(true);
    // The wait's line goes away; the hop's own line says it failed (TestIoHost has no dismiss: it records a stop).
    expect(io.progressLines.at(-1)).toBe("stop the row: 2 min");
  });
});

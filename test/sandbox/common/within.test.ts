import { describe, expect, it } from "vitest";
import { within } from "../../../src/sandbox/common/within.js";

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("within: bounded waits that leave no timer behind", () => {
  it("answers with the work's value and clears its timer", async () => {
    const before = timeouts();
    expect(await within(Promise.resolve(7), 60_000)).toBe(7);
    expect(timeouts()).toBe(before);
  });

  it("gives up after the bound with undefined", async () => {
    const started = Date.now();
    expect(await within(new Promise<number>(() => {}), 30)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

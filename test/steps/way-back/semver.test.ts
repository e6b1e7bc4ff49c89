import { describe, expect, it } from "vitest";
import { compareVersions, satisfies } from "../../../src/lib/semver.js";

describe("satisfies (package conditions.kibana.version)", () => {
  it.each([
    ["8.18.0", "^8.18.0 || ^9.0.0", true],
    ["8.19.3", "^8.18.0 || ^9.0.0", true],
    ["9.2.1", "^8.18.0 || ^9.0.0", true],
    ["8.17.9", "^8.18.0 || ^9.0.0", false],
    ["10.0.0", "^8.18.0 || ^9.0.0", false],
    ["8.15.0", "^8.13.0 || ^9.0.0", true],
    ["8.12.2", ">=8.12.0", true],
    ["8.11.9", ">=8.12.0", false],
    ["8.12.5", "~8.12.0", true],
    ["8.13.0", "~8.12.0", false],
    ["0.2.5", "^0.2.3", true],
    ["0.3.0", "^0.2.3", false],
    ["8.14.0", ">=8.12.0 <8.14.0", false],
    ["8.13.1", ">=8.12.0 <8.14.0", true],
    ["8.13.1", "8.x", true],
    ["9.0.0", "8.x", false],
    ["9.0.0", "not a range", false],
  ])("%s in %s → %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });
});

describe("compareVersions", () => {
  it("orders numerically and puts pre-releases before releases", () => {
    // Numeric identifiers compare as numbers (preview.2 < preview.10), alphanumeric ones lexically (semver §11).
    const sorted = ["1.10.0", "1.2.0", "1.2.0-preview.1", "0.4.0", "1.2.0-preview.10", "1.2.0-preview.2"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["0.4.0", "1.2.0-preview.1", "1.2.0-preview.2", "1.2.0-preview.10", "1.2.0", "1.10.0"]);
  });
});

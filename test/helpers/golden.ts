/**
 * Output goldens: the text a person reads, kept in a file beside the test so a change to it shows in review.
 * `UPDATE_GOLDENS=1 npx vitest run …` rewrites them; otherwise a difference fails the test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { expect } from "vitest";

export function expectGolden(text: string, file: URL): void {
  const path = file.pathname;
  if (process.env.UPDATE_GOLDENS === "1" || !existsSync(path)) {
    if (process.env.CI === "true" && !existsSync(path)) throw new Error(`golden ${path} is missing`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text.endsWith("\n") ? text : `${text}\n`);
    return;
  }
  expect(text.endsWith("\n") ? text : `${text}\n`).toBe(readFileSync(path, "utf8"));
}

/** Ctrl-C during apply, through the real signal path of the built CLI's main(). */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, requireBuiltCli } from "../helpers/built-cli.js";
import { VALID_ENV } from "../helpers/config-env.js";

const fixture = fileURLToPath(new URL("./fixtures/interruptible-setup.mjs", import.meta.url));
const distCli = new URL("../../dist/cli.js", import.meta.url).href;

beforeAll(() => requireBuiltCli());

describe("SIGINT during apply", () => {
  it("stops at the next safe point, says what was done and what was not, and exits 130", async () => {
    const child = spawn(process.execPath, [fixture, distCli], {
      env: cleanEnv({ ...VALID_ENV }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      if (c.includes("APPLYING first")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("Stopping at the next safe point");
    expect(stderr).not.toContain("APPLYING second");
    expect(stderr).toContain("Done: 1 of 2 changes\n  create connector first-obj\n");
    expect(stderr).toContain("Not done: 1\n  create connector second-obj\n");
    expect(stderr.trim().split("\n").at(-1)).toMatch(
      /^Interrupted: 1 change applied, 1 not\. Re-run setup to continue/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toContain("Plan: 2 to create");
  });
});

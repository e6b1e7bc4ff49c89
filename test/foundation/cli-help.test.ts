/**
 * Help that reads: examples first, then the command's own options, the common ones and the inputs it reads in
 * groups (Elastic, Azure, features); the advanced inputs only with --help-all. Teardown has no rule flags, and
 * giving one is a usage error (exit 3) that says teardown does not read it.
 */
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli.js";
import { inputs } from "../../src/config/registry.js";
import { expectGolden } from "../helpers/golden.js";
import { runCliInProcess } from "../helpers/run-cli.js";
import { captureStream } from "../helpers/streams.js";

async function help(args: string[], all = false): Promise<string> {
  const stdout = captureStream();
  const program = buildProgram({ stdout, stderr: captureStream() }, () => {}, { all });
  await program.parseAsync(["node", "sentinel-elastic", ...args, "--help"]).catch(() => undefined);
  return stdout.text;
}

const headings = (text: string) => text.split("\n").filter((l) => /^[A-Z][A-Za-z ]+( \(--help-all\))?:/.test(l));

describe("--help", () => {
  it("setup: examples first, then its options, the common ones and the input groups, advanced ones hidden", async () => {
    const text = await help(["setup"]);
    expect(headings(text).map((h) => h.replace(/:.*/, ":"))).toEqual([
      "Usage:",
      "Examples:",
      "Options:",
      "Common options:",
      "Elastic options:",
      "Azure options:",
      "Feature options:",
      "Inputs:",
    ]);
    expect(text).not.toContain("--azure-resource-manager-url");
    expect(text).toMatch(/\d+ advanced options .*: --help-all\./);
    expect(text.split("\n").length).toBeLessThan(120);
  });

  it("--help-all lists the advanced inputs too, in their own group", async () => {
    const text = await help(["setup"], true);
    expect(text).toContain("Advanced options (--help-all):");
    for (const def of inputs) if (def.flag) expect(text).toContain(def.flag);
  });

  it("teardown lists only what it reads (golden)", async () => {
    const text = await help(["teardown"]);
    for (const flag of ["--rule-query", "--sentinel-rule-kind", "--alert-action", "--critical-severity", "--location"])
      expect(text).not.toContain(flag);
    expect(text).toContain("--delete-data");
    expectGolden(text, new URL("./goldens/teardown-help.txt", import.meta.url));
  });

  it("the built CLI's --help-all is --help with every option", async () => {
    const r = await runCliInProcess(["verify", "--help-all"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--azure-resource-manager-url");
  });
});

describe("teardown refuses options it does not read", () => {
  it("--rule-query: exit 3, naming the input and where to look", async () => {
    const r = await runCliInProcess(["teardown", "--rule-query", "message:x"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("teardown does not read --rule-query (rule.query)");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

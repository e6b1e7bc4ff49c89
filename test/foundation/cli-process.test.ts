/** End to end: the built CLI as a process. Needs `npm run build` first (CI does it before the tests). */
import { readFileSync } from "node:fs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cleanEnv, REPO_ROOT, requireBuiltCli, runBuiltCli } from "../helpers/built-cli.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";

const version = (JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, "utf8")) as { version: string }).version;

let dir: TempDir;
beforeAll(() => requireBuiltCli());
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe("the built CLI, run as a process", () => {
  it("--version prints the package version on stdout and exits 0", async () => {
    const r = await runBuiltCli(["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help lists the commands on stdout and exits 0", async () => {
    const r = await runBuiltCli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["setup", "plan", "verify", "teardown", "demo"]) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain("Examples:");
    expect(r.stderr).toBe("");
  });

  it.each(["setup", "plan", "verify", "teardown", "demo"])("%s --help has examples and exits 0", async (command) => {
    const r = await runBuiltCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: sentinel-elastic ${command}`);
    expect(r.stdout).toContain("Examples:");
  });

  it("with no terminal, missing inputs are all listed on stderr, nothing on stdout, exit 3, no hang", async () => {
    const r = await runBuiltCli(["setup"], { cwd: dir.path });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error [INPUT_MISSING]: 6 missing inputs");
    for (const env of [
      "KIBANA_URL",
      "ELASTICSEARCH_URL",
      "ELASTIC_API_KEY",
      "AZURE_SUBSCRIPTION_ID",
      "AZURE_RESOURCE_GROUP",
      "SENTINEL_WORKSPACE_NAME",
    ]) {
      expect(r.stderr).toContain(env);
    }
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--json prints exactly one JSON document on stdout, error included", async () => {
    const r = await runBuiltCli(["plan", "--json"], { cwd: dir.path, env: cleanEnv({ KIBANA_URL: "nope" }) });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: "plan", plan: [], resources: [], checks: [] });
    expect(doc.error).toMatchObject({ code: "INPUT_INVALID", exitCode: 3 });
    expect(doc.error.problems.map((p: { key: string }) => p.key)).toContain("elastic.kibanaUrl");
    expect(r.stderr).toContain("Error [INPUT_INVALID]");
  });

  it("a secret given as a flag exits 3 and the value appears nowhere", async () => {
    const r = await runBuiltCli(["setup", "--api-key", "proc-canary-key-5521"], { cwd: dir.path });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("ELASTIC_API_KEY");
    expect(r.stdout + r.stderr).not.toContain("proc-canary-key-5521");
  });

  it("a config file with bad YAML exits 3 naming the line and column", async () => {
    dir.write("sentinel-elastic.yaml", "elastic:\n  kibanaUrl: 'unterminated\n");
    const r = await runBuiltCli(["plan"], { cwd: dir.path, env: cleanEnv({ ...VALID_ENV }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not valid YAML: .*line \d+, column \d+/);
  });

  it("an unknown command exits 3 with a usage error", async () => {
    const r = await runBuiltCli(["stup"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("Error [USAGE]: unknown command 'stup'");
  });

  it("NO_COLOR and pipes get plain text (no ANSI escapes)", async () => {
    const r = await runBuiltCli(["setup"], { cwd: dir.path, env: cleanEnv({ FORCE_COLOR: "", NO_COLOR: "1" }) });
    expect(r.stderr).not.toContain("\u001b[");
  });
});

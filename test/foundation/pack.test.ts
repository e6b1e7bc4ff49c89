/**
 * The package as published: `npm pack`, install the tarball in an empty folder (offline: no registry request at
 * all), run `sentinel-elastic --help`. What the user sees at install is checked too: a LICENSE, and no install-time
 * script (npm 11 warns about scripts the installing project has not allowed; `prepare` is
 * for git checkouts and is taken out of the packed manifest by scripts/pack-manifest.mjs).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, REPO_ROOT, requireBuiltCli, runProcess } from "../helpers/built-cli.js";
import { tempDir, type TempDir } from "../helpers/config-env.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let dir: TempDir;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir();
});
afterAll(() => dir.remove());

describe("npm pack → install the tarball → sentinel-elastic --help", () => {
  it("installs and runs from an empty folder", { timeout: 300_000 }, async () => {
    // Nothing leaves the machine: --offline makes npm take every dependency from its cache (filled by `npm ci`)
    // and make no request at all. (A loopback registry would miss that cache: npm keys it by registry URL.)
    const env = cleanEnv({ npm_config_update_notifier: "false" });
    // Pack a copy of what the package is made of: prepack/postpack rewrite package.json for a moment, and the
    // rest of the suite reads the repository's (the CLI's version) while this runs.
    const source = join(dir.path, "source");
    mkdirSync(source);
    for (const f of ["package.json", "README.md", "LICENSE", "bin", "dist", "templates", "sandbox-bin", "scripts"])
      cpSync(join(REPO_ROOT, f), join(source, f), { recursive: true });
    const manifestBefore = readFileSync(join(source, "package.json"), "utf8");
    // With scripts: prepack takes `prepare` out of the packed manifest (and prepare then does not run: dist/ is built).
    const pack = await runProcess(npm, ["pack", "--silent", "--pack-destination", dir.path], { cwd: source, env });
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(dir.path, pack.stdout.trim().split("\n").at(-1)!);
    expect(existsSync(tarball)).toBe(true);
    // postpack put the manifest back, byte for byte.
    expect(readFileSync(join(source, "package.json"), "utf8")).toBe(manifestBefore);
    expect(existsSync(join(source, ".package.json.orig"))).toBe(false);
    const packed = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    expect(packed.scripts?.prepare).toBeUndefined();
    expect(Object.keys(packed.scripts ?? {}).filter((k) => /^(pre|post)?install$|^prepare$/.test(k))).toEqual([]);
    expect(execFileSync("tar", ["-xzOf", tarball, "package/LICENSE"], { encoding: "utf8" })).toContain(
      "Apache License",
    );

    dir.write("package.json", JSON.stringify({ name: "pack-test", private: true }));
    // Scripts on, as a user installs: nothing of ours runs, and npm has nothing to warn about.
    const install = await runProcess(npm, ["install", "--offline", "--no-audit", "--no-fund", tarball], {
      cwd: dir.path,
      env,
    });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/install-scripts|allowScripts|prepare/);
    expect(existsSync(join(dir.path, "node_modules", "sentinel-elastic", "LICENSE"))).toBe(true);

    const bin = join(dir.path, "node_modules", ".bin", "sentinel-elastic");
    const help = await runProcess(bin, ["--help"], { cwd: dir.path, env });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: sentinel-elastic");
    // Only what runs is published: no sources or tests.
    expect(existsSync(join(dir.path, "node_modules", "sentinel-elastic", "src"))).toBe(false);
    expect(existsSync(join(dir.path, "node_modules", "sentinel-elastic", "test"))).toBe(false);
  });
});

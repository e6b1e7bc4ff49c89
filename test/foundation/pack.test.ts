/** The package as published: `npm pack`, install the tarball in an empty folder, run `sentinel-elastic --help`. */
import { existsSync } from "node:fs";
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
    const env = cleanEnv({ npm_config_update_notifier: "false" });
    // --ignore-scripts: dist/ is already built; `prepare` would rebuild it.
    const pack = await runProcess(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir.path], {
      cwd: REPO_ROOT,
      env,
    });
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(dir.path, pack.stdout.trim().split("\n").at(-1)!);
    expect(existsSync(tarball)).toBe(true);

    dir.write("package.json", JSON.stringify({ name: "pack-test", private: true }));
    const install = await runProcess(
      npm,
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball],
      { cwd: dir.path, env },
    );
    expect(install.code, install.stderr).toBe(0);

    const bin = join(dir.path, "node_modules", ".bin", "sentinel-elastic");
    const help = await runProcess(bin, ["--help"], { cwd: dir.path, env });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: sentinel-elastic");
    // Only what runs is published: no sources or tests.
    expect(existsSync(join(dir.path, "node_modules", "sentinel-elastic", "src"))).toBe(false);
    expect(existsSync(join(dir.path, "node_modules", "sentinel-elastic", "test"))).toBe(false);
  });
});

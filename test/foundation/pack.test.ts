/**
 * The package as published: `npm pack`, install the tarball in an empty folder (offline: no registry request at
 * all), run `sentinel-elastic --help`. What the user sees at install is checked too: a LICENSE, and no install-time
 * script (npm 11 warns about scripts the installing project has not allowed; `prepare` is
 * for git checkouts and is taken out of the packed manifest by scripts/pack-manifest.mjs).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, REPO_ROOT, requireBuiltCli, runProcess } from "../helpers/built-cli.js";
import { tempDir, type TempDir } from "../helpers/config-env.js";

/**
 * The empty project that installs the tarball, with a lockfile. Offline, npm can only use what its cache holds, and
 * npm 11 resolves a new dependency from the *full* registry document, which `npm ci` (it reads the abbreviated one)
 * never caches: a plain `npm install --offline <tarball>` fails with ENOTCACHED on a fresh machine. So the lockfile
 * pins the tarball and, for its dependencies, the production entries of our own lockfile (the versions `npm ci` just
 * fetched); `npm ci --offline` then needs nothing that is not in the cache. The tarball's declared dependencies are
 * still what npm checks the tree against, and `--help` running proves they are enough.
 */
function writeInstallProject(dir: TempDir, tarballName: string, packed: Record<string, unknown>): void {
  const ours = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const production = Object.entries(ours.packages).filter(([path, entry]) => path !== "" && !entry.dev);
  const spec = `file:${tarballName}`;
  const manifest = { name: "pack-test", version: "1.0.0", private: true, dependencies: { "sentinel-elastic": spec } };
  const lock = {
    name: "pack-test",
    version: "1.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "pack-test", version: "1.0.0", dependencies: { "sentinel-elastic": spec } },
      "node_modules/sentinel-elastic": {
        version: packed.version,
        resolved: spec,
        license: packed.license,
        dependencies: packed.dependencies,
        bin: packed.bin,
        engines: packed.engines,
      },
      ...Object.fromEntries(production),
    },
  };
  dir.write("package.json", JSON.stringify(manifest, null, 2));
  dir.write("package-lock.json", JSON.stringify(lock, null, 2));
}

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

    writeInstallProject(dir, basename(tarball), packed);
    // Scripts on, as a user installs: nothing of ours runs, and npm has nothing to warn about.
    const install = await runProcess(npm, ["ci", "--offline", "--no-audit", "--no-fund"], {
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

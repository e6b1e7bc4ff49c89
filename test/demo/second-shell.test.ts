/**
 * `demo --keep`, then a second shell: the built CLI as a real process keeps the sandboxes running, and each
 * command it prints runs in another process, exactly as printed (after `. ./demo.env`), and passes. Sandbox time is
 * the wall clock, so what the second process timestamps (the test document, the verify marker) falls inside the
 * rules' look-back windows. npm's registry points at a closed loopback port: a printed `npx sentinel-elastic` would
 * have to look the name up there and fail. The kept folder goes away when the demo is stopped (SIGINT or SIGTERM).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, requireBuiltCli, runProcess } from "../helpers/built-cli.js";

/** Nothing listens on port 9 (discard) on loopback: any registry lookup fails at once. */
const NO_REGISTRY = { npm_config_registry: "http://127.0.0.1:9/", NO_COLOR: "1" };

interface KeptDemo {
  child: ChildProcess;
  dir: string;
  commands: string[];
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `demo --keep` and wait until it prints the second-shell instructions. */
function startKeptDemo(): Promise<KeptDemo> {
  const child = spawn(process.execPath, [BIN, "demo", "--keep", "--yes"], {
    env: cleanEnv(NO_REGISTRY),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      if (!/^Config file: /m.test(stdout)) return;
      const dir = /^ {2}cd '([^']+)'$/m.exec(stdout)?.[1];
      if (!dir) return reject(new Error(`no cd line in:\n${stdout}`));
      const commands = [...stdout.matchAll(/^ {2}(sentinel-elastic [^#\n]*?)\s*(?:#.*)?$/gm)].map((m) => m[1]!);
      resolve({ child, dir, commands, stdout: () => stdout, exited });
    });
    void exited.then(({ code }) => reject(new Error(`demo --keep exited (${code}) early:\n${stdout}\n${stderr}`)));
  });
}

/** One line typed into the second shell: `. ./demo.env`, then the command, in the kept folder. */
const inSecondShell = (dir: string, line: string) =>
  runProcess("/bin/sh", ["-c", `. ./demo.env && command -v sentinel-elastic && ${line}`], {
    cwd: dir,
    env: cleanEnv(NO_REGISTRY),
  });

let demo: KeptDemo | undefined;
beforeAll(async () => {
  requireBuiltCli();
  demo = await startKeptDemo();
}, 90_000);
afterAll(async () => {
  if (demo && demo.child.exitCode === null) {
    demo.child.kill("SIGINT");
    await demo.exited;
  }
});

describe("demo --keep, then a second shell", () => {
  it("prints commands that run this copy, never npx (which would ask the public registry)", () => {
    const out = demo!.stdout();
    expect(out).not.toMatch(/npx/);
    expect(demo!.commands).toEqual([
      "sentinel-elastic verify --full",
      "sentinel-elastic plan --detailed-exitcode",
      "sentinel-elastic setup",
      "sentinel-elastic teardown --yes",
    ]);
    const wrapper = join(demo!.dir, "bin", "sentinel-elastic");
    expect(statSync(wrapper).mode & 0o111).not.toBe(0);
    expect(statSync(join(demo!.dir, "demo.env")).mode & 0o777).toBe(0o600);
  });

  it("verify --full, plan --detailed-exitcode, setup and teardown --yes each pass from another process", async () => {
    for (const line of demo!.commands) {
      const started = Date.now();
      const r = await inSecondShell(demo!.dir, line);
      const took = Date.now() - started;
      const context = `${line} (exit ${r.code}, ${took} ms)\n${r.stdout}\n${r.stderr}`;
      // The wrapper in the kept folder is what runs: this copy's bin, by absolute path.
      expect(r.stdout.split("\n")[0], context).toBe(join(demo!.dir, "bin", "sentinel-elastic"));
      expect(r.code, context).toBe(0);
      expect(r.stdout, context).not.toMatch(/^(FAIL|WARN)\b/m);
      expect(took, context).toBeLessThan(60_000);
    }
  }, 240_000);

  it("Ctrl-C stops the sandboxes and removes the kept folder", async () => {
    demo!.child.kill("SIGINT");
    const { code } = await demo!.exited;
    expect(code).toBe(0);
    expect(existsSync(demo!.dir)).toBe(false);
  }, 30_000);

  it("SIGTERM does the same", async () => {
    const other = await startKeptDemo();
    expect(existsSync(other.dir)).toBe(true);
    other.child.kill("SIGTERM");
    await other.exited;
    expect(existsSync(other.dir)).toBe(false);
  }, 90_000);
});

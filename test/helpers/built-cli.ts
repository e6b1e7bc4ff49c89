/** Run the BUILT CLI (`node bin/sentinel-elastic.js …`) as a separate process, as a user would. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/sentinel-elastic.js", import.meta.url));
const DIST_CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** Fail with an actionable message when dist/ has not been built (CI builds before testing). */
export function requireBuiltCli(): void {
  if (!existsSync(DIST_CLI)) {
    throw new Error(`dist/cli.js is missing: run \`npm run build\` before the end-to-end tests (${DIST_CLI})`);
  }
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: only what Node needs, so the developer's own KIBANA_URL etc. cannot leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "SystemRoot"];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? cleanEnv(),
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runBuiltCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return runProcess(process.execPath, [BIN, ...args], options);
}

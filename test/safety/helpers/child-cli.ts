/**
 * The built CLI as a separate process against a SafetyWorld, as a user's shell would run it after `demo --keep`:
 * the fake `az` on PATH (sandbox tokens), the sandbox CA as azure.caCertFile, the API key from the environment.
 * `killWhen` watches stderr line by line and sends a signal at the first line it accepts.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, cleanEnv, REPO_ROOT } from "../../helpers/built-cli.js";
import type { RunOptions, SafetyWorld } from "./safety-world.js";

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The stderr line that triggered the signal, if one did. */
  killedAt?: string;
}

export interface ChildOptions extends RunOptions {
  killWhen?: (line: string) => boolean;
  signal?: NodeJS.Signals;
  /** Upper bound before the child is killed as hung (a bound, not a timing assertion). */
  hangMs?: number;
}

/** Config inputs and env for a separate process: Azure CLI credential, the sandbox CA as a file. */
export function childInputs(w: SafetyWorld): { inputs: Record<string, unknown>; env: Record<string, string> } {
  const caFile = join(w.dir, "azure-sandbox-ca.pem");
  writeFileSync(caFile, w.azure.caCert);
  return {
    inputs: { "azure.credential": "cli", "azure.caCertFile": caFile },
    env: { ...w.azure.azCliEnv() },
  };
}

export function runChild(w: SafetyWorld, args: string[], o: ChildOptions = {}): Promise<ChildRun> {
  const base = childInputs(w);
  const options: RunOptions = {
    ...o,
    inputs: { ...base.inputs, ...o.inputs },
    env: { ...base.env, ...o.env },
  };
  const child = spawn(process.execPath, [BIN, ...args, ...w.configArgs(options)], {
    cwd: w.dir ?? REPO_ROOT,
    env: cleanEnv(w.runEnv(options)),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let pending = "";
    let killedAt: string | undefined;
    const hang = setTimeout(() => child.kill("SIGKILL"), o.hangMs ?? 90_000);
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      pending += c;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (killedAt === undefined && o.killWhen?.(line)) {
          killedAt = line;
          child.kill(o.signal ?? "SIGINT");
        }
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(hang);
      resolve({ code, signal, stdout, stderr, killedAt });
    });
  });
}

/** A progress line with ids (GUIDs) masked, so that a boundary found in one world is recognised in another. */
export const lineShape = (line: string) =>
  line.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>");

/** The n-th (1-based) line of a shape: "the second «Deleting role assignment <id> …»". */
export interface Boundary {
  shape: string;
  nth: number;
}

/** Each boundary line of a reference run, in order, as shape + occurrence. */
export function boundariesOf(lines: string[], pattern: RegExp): Boundary[] {
  const seen = new Map<string, number>();
  const out: Boundary[] = [];
  for (const line of lines) {
    if (!pattern.test(line)) continue;
    const shape = lineShape(line);
    const nth = (seen.get(shape) ?? 0) + 1;
    seen.set(shape, nth);
    out.push({ shape, nth });
  }
  return out;
}

/** A `killWhen` that fires at a boundary's n-th occurrence. */
export function atBoundary(b: Boundary): (line: string) => boolean {
  let count = 0;
  return (line) => lineShape(line) === b.shape && ++count === b.nth;
}

export const describeBoundary = (b: Boundary) => (b.nth > 1 ? `${b.shape} (#${b.nth})` : b.shape);

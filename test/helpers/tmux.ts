/**
 * A real terminal for a test: a command in a detached tmux session on a private server socket, keystrokes sent
 * with `send-keys`, the screen read with `capture-pane`. Only this harness's own server is ever stopped.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const TMUX = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].find((p) => existsSync(p));

function tmux(socket: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(TMUX!, ["-L", socket, ...args], { timeout: 10_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`tmux ${args[0]}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

export interface Terminal {
  /** Type text literally (no key names). */
  type(text: string): Promise<void>;
  /** Press keys by tmux name: "Enter", "C-c", "Down". */
  press(...keys: string[]): Promise<void>;
  screen(): Promise<string>;
  /** Wait (bounded) until the screen shows `text` (a string or a pattern); returns the screen. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The command's exit code once it ended (the script writes it to a file). */
  exitCode(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

/** Start `script` (a shell script path) in a 160×50 terminal; it must write its exit code to `${dir}/exit-code`. */
export async function openTerminal(script: string, dir: string): Promise<Terminal> {
  const socket = `se-test-${process.pid}-${Date.now().toString(36)}`;
  await tmux(socket, ["new-session", "-d", "-s", "t", "-x", "160", "-y", "50", `/bin/sh ${script}`]);
  await tmux(socket, ["set-option", "-t", "t", "remain-on-exit", "on"]).catch(() => {});
  const screen = () => tmux(socket, ["capture-pane", "-p", "-J", "-S", "-200", "-t", "t"]);
  const poll = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> => {
    const until = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      const hit = await probe();
      if (hit !== undefined) return hit;
      last = await screen().catch(() => last);
      if (Date.now() > until) throw new Error(`the terminal never showed ${what}; it shows:\n${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    type: async (text) => {
      await tmux(socket, ["send-keys", "-t", "t", "-l", text]);
    },
    press: async (...keys) => {
      await tmux(socket, ["send-keys", "-t", "t", ...keys]);
    },
    screen,
    waitFor: (text, timeoutMs = 20_000) =>
      poll(
        async () => {
          const s = await screen();
          return (typeof text === "string" ? s.includes(text) : text.test(s)) ? s : undefined;
        },
        String(text),
        timeoutMs,
      ),
    exitCode: (timeoutMs = 20_000) =>
      poll(
        async () => {
          const file = join(dir, "exit-code");
          return existsSync(file) && readFileSync(file, "utf8").trim() !== ""
            ? Number(readFileSync(file, "utf8").trim())
            : undefined;
        },
        "the command's end",
        timeoutMs,
      ),
    close: async () => {
      await tmux(socket, ["kill-server"]).catch(() => {});
    },
  };
}

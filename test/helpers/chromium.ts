/**
 * Headless Debian Chromium, as CI has it (`.ci/run` installs it): render a local file with nothing else going on
 * (no network services, no sync, no first-run), a fresh profile each time.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "./built-cli.js";

export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // Tests reach only 127.0.0.1: any other host the page (or Chromium itself) names resolves to nothing.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];

export async function chromium(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!CHROMIUM) throw new Error("chromium is not installed (CI installs it in .ci/run: apt-get install chromium)");
  const profile = mkdtempSync(join(tmpdir(), "se-chromium-"));
  try {
    return await runProcess(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: profile },
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

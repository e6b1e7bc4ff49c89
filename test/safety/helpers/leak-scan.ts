/**
 * Scanning for secrets: named canary values in texts and in files written since a moment, plus patterns that
 * are secrets whatever their value (a `sig=` that is not redacted, an Authorization credential).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface Leak {
  canary: string;
  where: string;
}

/** Secret shapes that must never be printed, whatever the value. */
export const SECRET_SHAPES: Record<string, RegExp> = {
  "unredacted sig": /[?&]sig=(?!\[REDACTED\]|%5BREDACTED%5D|REDACTED|\*)[A-Za-z0-9%_-]{8,}/,
  "ApiKey credential": /\bApiKey\s+(?!\[REDACTED\])[A-Za-z0-9+/=_-]{16,}/,
  "Bearer token": /\bBearer\s+(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{20,}/,
  "Basic credential": /\bBasic\s+(?!\[REDACTED\])[A-Za-z0-9+/=]{12,}/,
};

export function scanText(texts: Record<string, string>, canaries: Record<string, string>): Leak[] {
  const leaks: Leak[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, value] of Object.entries(canaries)) {
      if (value && text.includes(value)) leaks.push({ canary: name, where });
    }
    for (const [name, shape] of Object.entries(SECRET_SHAPES)) {
      const m = shape.exec(text);
      if (m) leaks.push({ canary: name, where: `${where}: …${m[0].slice(0, 24)}…` });
    }
  }
  return leaks;
}

/** Regular files under `root` (to `depth` levels) modified at or after `since` (ms), at most `maxBytes` each. */
export function filesWrittenSince(root: string, since: number, depth = 4, maxBytes = 4 * 1024 * 1024): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (level < depth && name !== "node_modules" && name !== ".git") walk(path, level + 1);
      } else if (st.isFile() && st.mtimeMs >= since && st.size <= maxBytes) {
        out.push(path);
      }
    }
  };
  walk(root, 0);
  return out;
}

export function scanFiles(paths: string[], canaries: Record<string, string>): Leak[] {
  const texts: Record<string, string> = {};
  for (const p of paths) {
    try {
      texts[p] = readFileSync(p, "latin1");
    } catch {
      // Gone already (another process's temporary file).
    }
  }
  // Files are checked for the named canaries only: other programs' files may hold their own tokens.
  const leaks: Leak[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, value] of Object.entries(canaries))
      if (value && text.includes(value)) leaks.push({ canary: name, where });
  }
  return leaks;
}

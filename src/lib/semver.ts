/**
 * Just enough semver for package compatibility: `conditions.kibana.version` in integration manifests is a
 * node-semver range, in practice `^8.18.0 || ^9.0.0`, sometimes `>=8.x.y`, `~8.x.y` or an AND of comparators
 * (package-spec `spec/integration/manifest.spec.yml`, "conditions.kibana.version"). Fleet checks it with
 * node-semver `satisfies` (x-pack/platform/plugins/shared/fleet/server/services/epm/registry).
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

const VERSION = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(v: string): SemVer | undefined {
  const m = VERSION.exec(v.trim());
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined || /[xX*]/.test(s) ? 0 : Number(s));
  return { major: Number(m[1]), minor: n(m[2]), patch: n(m[3]), prerelease: m[4] ? m[4].split(".") : [] };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  for (const k of ["major", "minor", "patch"] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  // A pre-release sorts before its release (1.0.0-rc1 < 1.0.0).
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return a.localeCompare(b);
  return compareSemver(pa, pb);
}

/** The stack version as a release for range checks: `9.1.0-SNAPSHOT` counts as 9.1.0. */
export function coerceRelease(v: string): SemVer | undefined {
  const p = parseSemver(v);
  return p ? { ...p, prerelease: [] } : undefined;
}

type Comparator = { op: "<" | "<=" | ">" | ">=" | "="; v: SemVer };

function bump(v: SemVer, part: "major" | "minor" | "patch"): SemVer {
  if (part === "major") return { major: v.major + 1, minor: 0, patch: 0, prerelease: ["0"] };
  if (part === "minor") return { major: v.major, minor: v.minor + 1, patch: 0, prerelease: ["0"] };
  return { major: v.major, minor: v.minor, patch: v.patch + 1, prerelease: ["0"] };
}

function comparators(token: string): Comparator[] | undefined {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(token);
  if (!m) return undefined;
  const op = m[1] ?? "";
  const raw = m[2]!;
  const v = parseSemver(raw);
  if (!v) return undefined;
  const parts = raw.replace(/^v/, "").split("-")[0]!.split(".");
  const wildMinor = parts.length < 2 || /[xX*]/.test(parts[1]!);
  const wildPatch = parts.length < 3 || /[xX*]/.test(parts[2]!);
  switch (op) {
    case "^": {
      // ^1.2.3 := >=1.2.3 <2.0.0-0; ^0.2.3 := >=0.2.3 <0.3.0-0; ^0.0.3 := >=0.0.3 <0.0.4-0
      const upper =
        v.major > 0 || wildMinor ? bump(v, "major") : v.minor > 0 || wildPatch ? bump(v, "minor") : bump(v, "patch");
      return [
        { op: ">=", v },
        { op: "<", v: upper },
      ];
    }
    case "~":
      return [
        { op: ">=", v },
        { op: "<", v: wildMinor ? bump(v, "major") : bump(v, "minor") },
      ];
    case "":
    case "=":
      if (wildMinor)
        return [
          { op: ">=", v },
          { op: "<", v: bump(v, "major") },
        ];
      if (wildPatch)
        return [
          { op: ">=", v },
          { op: "<", v: bump(v, "minor") },
        ];
      return [{ op: "=", v }];
    default:
      return [{ op: op as Comparator["op"], v }];
  }
}

function test(c: Comparator, v: SemVer): boolean {
  const r = compareSemver(v, c.v);
  switch (c.op) {
    case "<":
      return r < 0;
    case "<=":
      return r <= 0;
    case ">":
      return r > 0;
    case ">=":
      return r >= 0;
    case "=":
      return r === 0;
  }
}

/**
 * Does `version` satisfy `range`? `||` separates alternatives; whitespace separates comparators that must
 * all hold; `a - b` hyphen ranges are not used by package manifests and are rejected. An unparsable range
 * never matches (so we never install a package we cannot prove compatible).
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseSemver(version);
  if (!v) return false;
  return range.split("||").some((alt) => {
    const tokens = alt
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean);
    if (tokens.length === 0 || tokens.includes("-")) return false;
    const all: Comparator[] = [];
    for (const t of tokens) {
      const cs = comparators(t);
      if (!cs) return false;
      all.push(...cs);
    }
    return all.every((c) => test(c, v));
  });
}

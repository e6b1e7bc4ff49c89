/**
 * Kibana version gates. Behaviours of the emulator switch on the Kibana version the sandbox pretends
 * to be, because the real product sends different fields to different stacks (unknown keys are a 400: elastic/kibana src/platform/packages/shared/kbn-connector-schemas).
 */
export function parseVersion(v: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  if (!m) throw new Error(`invalid Kibana version '${v}' (expected e.g. 9.2.0)`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** True when `version` >= `min` (both "major.minor[.patch]"). */
export function atLeast(version: string, min: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(min);
  for (let i = 0; i < 3; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return true;
}

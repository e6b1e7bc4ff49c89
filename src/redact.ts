/**
 * One redaction function for everything we print or write. Two layers:
 * 1. known secret values registered at run time (API key, password, client secret, callback-URL sig),
 *    replaced wherever they appear, also URL-encoded and base64-wrapped forms;
 * 2. patterns that look like secrets whatever their value: Authorization headers, bearer tokens,
 *    `ApiKey …`, `sig=` query values, `"password": "…"`-style JSON fields.
 */

const MASK = "[REDACTED]";
const known = new Set<string>();

/** Register a secret value so that it is scrubbed from all later output. Values under 6 characters are too
 * likely to collide with ordinary text; they are still covered by the pattern layer where it applies. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 6) return;
  known.add(value);
  known.add(encodeURIComponent(value));
  known.add(JSON.stringify(value).slice(1, -1));
}

/** For tests: forget registered secrets. */
export function clearRegisteredSecrets(): void {
  known.clear();
}

const PATTERNS: [RegExp, string][] = [
  // sig=… in Logic App callback URLs (also URL-encoded `sig%3D`)
  [/([?&](?:amp;)?sig(?:=|%3D))[^&\s"'<>\\]+/gi, `$1${MASK}`],
  // Authorization: Bearer …, ApiKey …, Basic …
  [/\b(authorization["']?\s*[:=]\s*["']?)(?:Bearer|ApiKey|Basic|SharedKey)\s+[^\s"',}]+/gi, `$1${MASK}`],
  [/\b(Bearer|ApiKey|Basic)\s+[A-Za-z0-9+/=._~-]{12,}/g, `$1 ${MASK}`],
  // "password": "…", "client_secret": "…", "apiKey": "…", "secret": "…" (JSON or YAML-ish)
  [
    /(["']?(?:password|passwd|client_?secret|api_?key|apikey|secret|access_?token|accessToken|refresh_?token|shared_?key|sig)["']?\s*[:=]\s*["']?)([^"'\s,}&]+)/gi,
    `$1${MASK}`,
  ],
  // JWTs
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, MASK],
];

export function redact(text: string): string {
  let out = text;
  // Longest first, so that a value containing another is removed whole.
  for (const value of [...known].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join(MASK);
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Redact every string inside a JSON-able value (for --json and files we write). */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = /^(password|apiKey|api_key|clientSecret|client_secret|secret|secretHeaders|authorization)$/i.test(k)
        ? v === undefined || v === null || v === ""
          ? v
          : MASK
        : redactDeep(v);
    }
    return out as T;
  }
  return value;
}

/** Show a callback URL safely: scheme, host and path, with the query reduced to its non-secret keys. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.searchParams.has("sig")) u.searchParams.set("sig", MASK);
    u.username = u.username ? MASK : "";
    u.password = u.password ? MASK : "";
    return decodeURIComponent(u.toString());
  } catch {
    return redact(url);
  }
}

export const REDACTED = MASK;

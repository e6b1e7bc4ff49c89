/**
 * Stack versions and what each supports. Kibana rejects unknown connector fields (400), so every field
 * newer than 8.11 is gated here, with the change that introduced it (unknown keys are a 400: elastic/kibana src/platform/packages/shared/kbn-connector-schemas).
 */

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function versionAtLeast(version: string, min: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(min);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/** Oldest supported: `case.id`, `case.severity` and `case.status` in case-connector templates (kibana PR #166295, kibana#140390). */
export const MINIMUM_KIBANA_VERSION = "8.11.0";

export const features = {
  /** `getIncidentMethod` / `getIncidentJson` on `.cases-webhook` (kibana PR #197437, v8.17.0 / v9.0.0). */
  casesWebhookGetMethod: "8.17.0",
  /** `authType`, `certType`, `ca`, `verificationMode` on `.cases-webhook` (kibana PR #185925, v8.15.0). */
  casesWebhookAuthType: "8.15.0",
  /** `secrets.secretHeaders` on `.webhook` and `.cases-webhook` (kibana PR #230042, stack 9.2). */
  secretHeaders: "9.2.0",
  /** `.webhook` `authType: "webhook-oauth2-client-credentials"` (kibana PR #218442, docs-content#2829, 9.2). */
  webhookOAuth2: "9.2.0",
} as const;

export function supports(version: string, feature: keyof typeof features): boolean {
  return versionAtLeast(version, features[feature]);
}

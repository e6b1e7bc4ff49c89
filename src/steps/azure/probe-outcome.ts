/**
 * What an authorization probe's answer means. Our workflows answer 502 when the Azure call they make fails, with
 * "<call> answered <status>: <message>" (templates/azure: Respond_not_found, Note_send_failure). A 403 there is
 * the role not effective yet (Azure takes minutes, https://learn.microsoft.com/azure/role-based-access-control/troubleshooting); a 429 or 5xx is the service behind the
 * workflow failing for a moment, which says nothing about the role. The trigger endpoint's own 429/5xx and
 * resets are retried by the Logic App caller and arrive here as RemoteErrors.
 */
import { RemoteError } from "../../errors.js";

export type Probe = { ok: true } | { ok: false; status: number; message: string };

export type ProbeOutcome = "ok" | "propagating" | "transient" | "refused";

/** Probes retried on a transient answer before the run stops (each after TRANSIENT_WAIT_MS). */
export const TRANSIENT_RETRIES = 3;
export const TRANSIENT_WAIT_MS = 5_000;

export function classifyProbe(probe: Probe): ProbeOutcome {
  if (probe.ok) return "ok";
  if (probe.status === 502 && /\b403\b|AuthorizationFailed|Forbidden/i.test(probe.message)) return "propagating";
  if (probe.status === 429 || probe.status >= 500) {
    if (probe.status !== 502) return "transient";
    if (/answered (429|5\d\d)\b|answered no response|could not complete/i.test(probe.message)) return "transient";
  }
  return "refused";
}

/** A probe that kept meeting transient failures: the remote's fault, not the role; a re-run continues. */
export function transientProbeError(what: string, probe: Probe): RemoteError {
  const p = probe as { status: number; message: string };
  return new RemoteError(`${what}: the probe kept failing for a moment (HTTP ${p.status}: ${p.message})`, {
    code: "AZURE_PROBE_TRANSIENT",
    remote: "logic-app",
    status: p.status,
    suggestion:
      "Azure failed for a moment, not the role assignment: run setup again to continue (or `sentinel-elastic verify` to re-check).",
  });
}

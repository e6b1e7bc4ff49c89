/**
 * The authorization probes under transient failures: a 429 or 5xx from the service behind our
 * workflow, or from the trigger endpoint itself, is retried and never reported as the identity lacking its role;
 * only a 403 is "the role is not effective yet". Permissions are a GET, retried like any read.
 */
import { afterEach, describe, expect, it } from "vitest";
import { AuthError, RemoteError } from "../../../src/errors.js";
import { isTransientRemoteError } from "../../../src/engine/transient.js";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { classifyProbe } from "../../../src/steps/azure/probe-outcome.js";
import { type AzureSandbox, azureConfig, sandboxOptions, setupRun, startAzureSandbox } from "./azure-context.js";

let sb: AzureSandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

const NIL_INCIDENT = /GET .*\/incidents\/00000000-0000-0000-0000-000000000000/i;
/**
 * The workflows' own retry policy waits on the sandbox clock while our trigger call is waiting for the answer:
 * a scaled clock (1000 sandbox ms per real ms) lets those waits pass; the steps' waits advance it as usual.
 */
const fastClock = () => createClock({ mode: "scaled", speed: 1000 });

describe("what a probe's answer means", () => {
  it("403 behind the workflow is the role still propagating; 429/5xx behind it or in front of it is transient", () => {
    expect(classifyProbe({ ok: true })).toBe("ok");
    expect(classifyProbe({ ok: false, status: 502, message: "GET incident answered 403: AuthorizationFailed" })).toBe(
      "propagating",
    );
    expect(classifyProbe({ ok: false, status: 502, message: "GET incident answered 429: throttled" })).toBe(
      "transient",
    );
    expect(classifyProbe({ ok: false, status: 502, message: "Logs Ingestion API answered 503: busy" })).toBe(
      "transient",
    );
    expect(classifyProbe({ ok: false, status: 429, message: "HTTP 429" })).toBe("transient");
    expect(classifyProbe({ ok: false, status: 400, message: "sentinel_incident_id is required" })).toBe("refused");
    expect(classifyProbe({ ok: false, status: 502, message: "GET incident answered 400: bad id" })).toBe("refused");
  });
});

describe("authorization probes under transient failures", () => {
  it("a 429 from Sentinel behind the case-get workflow is probed again, not reported as a missing role", async () => {
    // More than the workflow's own retry policy absorbs, so the probe itself answers 502 "answered 429".
    sb = await startAzureSandbox(
      sandboxOptions({
        clock: fastClock(),
        faults: { routes: [{ match: NIL_INCIDENT, times: 6, kinds: [429], retryAfterSeconds: 1 }] },
      }),
    );
    const run = await setupRun(sb, azureConfig(sb));
    expect(run.io.progressLines.join("\n")).toMatch(/managed identities can use Sentinel/);
    expect(sb.faults.injected).toBe(6);
  });

  it("Sentinel failing behind the workflow on every probe stops with a transient remote error, not a missing role", async () => {
    sb = await startAzureSandbox(
      sandboxOptions({ clock: fastClock(), faults: { routes: [{ match: NIL_INCIDENT, errorRate: 1, kinds: [500] }] } }),
    );
    const error = await setupRun(sb, azureConfig(sb)).catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).not.toBeInstanceOf(AuthError);
    // The workflow keeps retrying until the trigger gives up (504 after 120 s, as in Azure); after the caller's
    // own retries that is a transient remote error, which the engine reports with "re-run setup to continue".
    expect(isTransientRemoteError(error)).toBe(true);
    expect(error.message).not.toMatch(/cannot use Sentinel/);
  });

  it("resets and 503s at the Logic App trigger are retried by the caller", async () => {
    sb = await startAzureSandbox(
      sandboxOptions({
        faults: { routes: [{ match: /POST .*\/triggers\/manual\/paths\/invoke/i, times: 2, kinds: ["reset", 503] }] },
      }),
    );
    const run = await setupRun(sb, azureConfig(sb));
    expect(run.io.progressLines.join("\n")).toMatch(/alert-ingest Logic App can send rows/);
    expect(sb.faults.injected).toBe(2);
  });

  it("a reset reading our permissions is retried, not reported as Azure unreachable", async () => {
    sb = await startAzureSandbox(
      sandboxOptions({
        faults: {
          routes: [{ match: /GET .*\/providers\/Microsoft\.Authorization\/permissions/i, times: 1, kinds: ["reset"] }],
        },
      }),
    );
    const run = await setupRun(sb, azureConfig(sb));
    expect(run.io.progressLines.join("\n")).toMatch(/managed identities can use Sentinel/);
    expect(sb.faults.injected).toBe(1);
  });
});

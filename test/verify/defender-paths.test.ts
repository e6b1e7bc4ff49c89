/**
 * verify in Defender mode, against an in-memory world: the alert path's incident hop finds the incident the alert
 * belongs to by SecurityAlert → SecurityIncident and says whether Defender grouped it into an existing incident;
 * the case path fails, naming the Defender queue, when no Defender incident holds the case's alert.
 */
import { describe, expect, it } from "vitest";
import { createSharedState } from "../../src/engine/shared-state.js";
import type { Check, StepContext } from "../../src/engine/types.js";
import { resolveNames } from "../../src/names.js";
import { runVerification } from "../../src/verify/index.js";
import type { VerifyProbes } from "../../src/verify/probes.js";
import { TestIoHost } from "../helpers/test-io-host.js";
import { makeConfig } from "../steps/kibana/helpers.js";
import { createFakeWorld } from "./fake-world.js";

const KIBANA = "http://kibana.local";
const TENANT = "0d846ee9-31f3-4ee2-9443-fb62a2ae47b6";
const START = Date.parse("2026-11-27T10:00:00Z");

function context(): StepContext {
  let t = START;
  const shared = createSharedState();
  shared.kibana = { version: "9.2.0", baseUrl: KIBANA, space: "default" };
  const base = makeConfig();
  const config = {
    ...base,
    azure: { ...base.azure, tenantId: TENANT },
    sentinel: { ...base.sentinel, portal: "defender" as const },
  };
  return {
    config,
    names: resolveNames(config),
    io: new TestIoHost(),
    clients: {} as StepContext["clients"],
    shared,
    signal: new AbortController().signal,
    now: () => t,
    async sleep(ms) {
      t += ms;
    },
  };
}

/** The world's probes with Defender's tables: the alert lands in incident 7, created at `created`. */
function withDefender(probes: VerifyProbes, created: string | undefined): VerifyProbes {
  return {
    ...probes,
    async queryRows(kql) {
      if (kql.startsWith("SecurityAlert")) return created ? [{ SystemAlertId: "alert-1" }] : [];
      if (kql.startsWith("SecurityIncident"))
        return kql.includes("'alert-1'")
          ? [{ ProviderIncidentId: "7", Title: "Existing", Severity: "High", Status: "New", CreatedTime: created }]
          : [];
      return probes.queryRows(kql);
    },
  };
}

async function verify(created: string | undefined, only: "alerts" | "case") {
  const ctx = context();
  const world = createFakeWorld({}, `${KIBANA}/app/security/cases/`, { now: ctx.now });
  return runVerification(ctx, { probes: withDefender(world.probes, created), timeoutMs: 60_000, only });
}
const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id);

describe("verify in Defender mode", () => {
  it("an alert Defender grouped into an existing incident passes, naming that incident and its Defender link", async () => {
    const checks = await verify("2026-11-26T09:00:00Z", "alerts");
    const hop = byId(checks, "alerts.incident");
    expect(hop?.status).toBe("pass");
    expect(hop?.title).toContain("Defender");
    expect(hop?.evidence).toContain("grouped by Defender into existing incident 7");
    expect(hop?.evidence).toContain(`/incidents/7?tid=${TENANT}`);
  });

  it("an alert in a new incident passes and says new", async () => {
    const checks = await verify("2026-11-27T10:00:30Z", "alerts");
    expect(byId(checks, "alerts.incident")?.evidence).toMatch(/incidents\/7\?tid=.* \(new\)$/);
  });

  it("the case path fails, naming the Defender queue, when no Defender incident holds the case's alert", async () => {
    const checks = await verify(undefined, "case");
    const hop = byId(checks, "case.incident");
    expect(hop?.status).toBe("fail");
    expect(hop?.cause).toContain("no incident in the Defender queue holds the case's alert");
  });
});

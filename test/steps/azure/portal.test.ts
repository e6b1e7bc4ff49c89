/**
 * Which portal preflight settles on (sentinel.portal), and what it says: the decision and why, the Azure portal's
 * retirement warning, the way back in Defender mode, and a cloud without a Defender incident queue.
 */
import { afterEach, describe, expect, it } from "vitest";
import { resolveCloud } from "../../../src/azure/cloud.js";
import { exitCodeOf, type SentinelElasticError } from "../../../src/errors.js";
import { azurePreflight } from "../../../src/steps/azure/preflight.js";
import { portalFromIncidents } from "../../../src/steps/azure/portal.js";
import { checkDefenderMode } from "../../../src/steps/azure/preflight-defender.js";
import type { AzureFacts } from "../../../src/azure/templates.js";
import {
  type AzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
  azureConfig,
  azureRun,
  sandboxOptions,
  startAzureSandbox,
} from "./azure-context.js";

let sb: AzureSandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

const incident = (n: number, providerName: string, rule = true) => ({
  name: `i${n}`,
  properties: { incidentNumber: n, providerName, relatedAnalyticRuleIds: rule ? ["/rules/r1"] : [] },
});

async function preflight(
  patch: Parameters<typeof azureConfig>[1] = {},
  seed?: (sb: AzureSandbox, wsId: string) => void,
) {
  sb = await startAzureSandbox(sandboxOptions());
  const wsId = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
  seed?.(sb, wsId);
  const run = azureRun(sb, azureConfig(sb, patch));
  await azurePreflight.plan(run.ctx);
  const facts = run.ctx.shared.azureFacts as AzureFacts;
  const warnings = run.io.messages.filter((m) => m.level === "warn").map((m) => m.text);
  const all = run.io.messages.map((m) => m.text);
  return { facts, warnings, all };
}

describe("sentinel.portal: the decision from the newest incidents", () => {
  it("an incident with the provider Microsoft XDR means the Defender portal", () => {
    const d = portalFromIncidents([incident(3, "Azure Sentinel", false), incident(2, "Microsoft XDR")]);
    expect(d).toMatchObject({ portal: "defender", detected: true });
    expect(d?.why).toContain("incident 2");
  });

  it("a rule-raised incident of Azure Sentinel means the Azure portal; API-made ones say nothing", () => {
    expect(portalFromIncidents([incident(1, "Azure Sentinel")])).toMatchObject({ portal: "azure", detected: true });
    // Our own API-created incidents are "Azure Sentinel" in either portal (never synchronized to Defender).
    expect(portalFromIncidents([incident(1, "Azure Sentinel", false)])).toBeUndefined();
    expect(portalFromIncidents([])).toBeUndefined();
    expect(portalFromIncidents(undefined)).toBeUndefined();
  });
});

describe("Azure preflight reports the portal", () => {
  it("auto on a workspace without incidents: cannot tell, keeps the Azure portal, names the input, warns of the retirement once", async () => {
    const { facts, warnings } = await preflight();
    expect(facts.portal).toBe("azure");
    const cannotTell = warnings.filter((w) => w.includes("could not tell the portal"));
    expect(cannotTell).toHaveLength(1);
    expect(cannotTell[0]).toContain("the workspace has no incidents yet");
    expect(cannotTell[0]).toContain("--sentinel-portal");
    const retirement = warnings.filter((w) => w.includes("2027-03-31"));
    expect(retirement).toHaveLength(1);
    expect(retirement[0]).toContain("--sentinel-portal defender");
  });

  it("auto with a rule-raised Azure Sentinel incident: the Azure portal, detected, plus the retirement warning", async () => {
    const { facts, warnings, all } = await preflight({}, (s, wsId) =>
      s.state.upsertIncident(
        wsId,
        "a1",
        { title: "t", severity: "Low", status: "New" },
        { relatedAnalyticRuleIds: ["/x/alertRules/r1"] },
      ),
    );
    expect(facts.portal).toBe("azure");
    expect(all.some((m) => /Sentinel portal: azure \(incident 1, raised by an analytics rule/.test(m))).toBe(true);
    expect(warnings.filter((w) => w.includes("2027-03-31"))).toHaveLength(1);
  });

  it("auto with a Microsoft XDR incident: the Defender portal, no retirement warning", async () => {
    const { facts, warnings, all } = await preflight({ features: { caseSync: false } }, (s, wsId) =>
      s.state.upsertIncident(
        wsId,
        "x1",
        { title: "t", severity: "Low", status: "New" },
        { relatedAnalyticRuleIds: ["/x/alertRules/r1"], providerName: "Microsoft XDR" },
      ),
    );
    expect(facts.portal).toBe("defender");
    expect(
      all.some((m) => m.includes('Sentinel portal: defender (incident 1 reports the provider "Microsoft XDR"')),
    ).toBe(true);
    expect(warnings.some((w) => w.includes("2027-03-31"))).toBe(false);
  });

  it("defender set explicitly wins over what the incidents say; the way back names m365_defender", async () => {
    const { facts, warnings } = await preflight(
      { sentinel: { portal: "defender" }, features: { caseSync: false, sentinelToElastic: true } },
      (s, wsId) =>
        s.state.upsertIncident(
          wsId,
          "a1",
          { title: "t", severity: "Low", status: "New" },
          { relatedAnalyticRuleIds: ["/r"] },
        ),
    );
    expect(facts.portal).toBe("defender");
    expect(warnings.some((w) => w.includes("m365_defender") && w.includes("microsoft_sentinel"))).toBe(true);
  });

  it("azure set explicitly: behaves as before, plus the retirement warning", async () => {
    const { facts, warnings } = await preflight({ sentinel: { portal: "azure" } });
    expect(facts.portal).toBe("azure");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("2027-03-31");
  });
});

describe("Defender mode's own preconditions", () => {
  it("case sync in Defender mode with Resource Manager overridden and no Graph endpoint stops with exit 5 naming the input", async () => {
    const err = await preflight({ sentinel: { portal: "defender" } }).then(
      () => undefined,
      (e: unknown) => e as SentinelElasticError,
    );
    expect(err?.code).toBe("DEFENDER_GRAPH_MISSING");
    expect(exitCodeOf(err!)).toBe(5);
    expect(err?.suggestion).toContain("--azure-graph-url");
  });
});

describe("Defender portal hosts per cloud", () => {
  it("commercial and US Government have their hosts; 21Vianet has none; an override wins", () => {
    const endpoints = {};
    expect(resolveCloud({ cloud: "AzureCloud", endpoints }).defenderPortal).toBe("https://security.microsoft.com");
    expect(resolveCloud({ cloud: "AzureUSGovernment", endpoints }).defenderPortal).toBe(
      "https://security.microsoft.us",
    );
    expect(resolveCloud({ cloud: "AzureChinaCloud", endpoints }).defenderPortal).toBeUndefined();
    expect(
      resolveCloud({ cloud: "AzureUSGovernment", endpoints: { defenderPortal: "https://security.apps.mil/" } })
        .defenderPortal,
    ).toBe("https://security.apps.mil");
  });

  it("Defender mode in a cloud without a Defender incident queue stops with exit 5, naming the inputs", () => {
    // The sandbox answers commercial-cloud audiences only, so the check is driven directly with the China cloud.
    const ctx = { config: { features: { sentinelToElastic: false } }, io: { message() {} } } as never;
    const cloud = resolveCloud({ cloud: "AzureChinaCloud", endpoints: {} });
    let err: SentinelElasticError | undefined;
    try {
      checkDefenderMode(ctx, cloud);
    } catch (e) {
      err = e as SentinelElasticError;
    }
    expect(err?.code).toBe("DEFENDER_PORTAL_UNAVAILABLE");
    expect(exitCodeOf(err!)).toBe(5);
    expect(err?.suggestion).toContain("--sentinel-portal");
    expect(err?.suggestion).toContain("--defender-portal-url");
    expect(() => checkDefenderMode(ctx, resolveCloud({ cloud: "AzureCloud", endpoints: {} }))).not.toThrow();
  });
});

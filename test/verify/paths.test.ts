/**
 * verify's hop logic against an in-memory world: every hop passes when the world works, and breaking one
 * behaviour fails exactly the hop that depends on it, with a cause and a remedy; later hops of that path skip.
 */
import { describe, expect, it } from "vitest";
import { createSharedState } from "../../src/engine/shared-state.js";
import type { Check, StepContext } from "../../src/engine/types.js";
import { resolveNames } from "../../src/names.js";
import { runVerification } from "../../src/verify/index.js";
import { TestIoHost } from "../helpers/test-io-host.js";
import { makeConfig } from "../steps/kibana/helpers.js";
import { type Breaks, createFakeWorld } from "./fake-world.js";

const KIBANA = "http://kibana.local";

function context(overrides: Parameters<typeof makeConfig>[0] = {}): StepContext {
  // A virtual clock: sleeping advances it at once, so timeouts are reached without waiting. The fake world
  // stamps its records with the same clock.
  let t = Date.parse("2026-11-27T10:00:00Z");
  const shared = createSharedState();
  shared.kibana = { version: "9.2.0", baseUrl: KIBANA, space: "default" };
  const config = makeConfig(overrides);
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

async function verifyWith(breaks: Breaks, opts: { full?: boolean; only?: "case" | "alerts" } = {}) {
  const ctx = context();
  const world = createFakeWorld(breaks, `${KIBANA}/app/security/cases/`, { now: ctx.now });
  const checks = await runVerification(ctx, {
    probes: world.probes,
    timeoutMs: 60_000,
    ...opts,
  });
  return { checks, world };
}

const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id);

describe("verify with Kibana's closure type close-by-pushing", () => {
  it("each push closes the test case; the case path reopens it before the next push and every hop passes", async () => {
    // Given a Kibana that closes a case on each push and refuses to push a closed one
    const { checks } = await verifyWith({ closeByPushing: true }, { only: "case" });
    // Then the comment, in-progress and closed hops pass like the others
    expect(checks.filter((c) => c.id.startsWith("case.") && c.status !== "pass")).toEqual([]);
    expect(byId(checks, "case.comment")?.status).toBe("pass");
  });
});

describe("verify follows both paths hop by hop", () => {
  it("passes every hop of the case path and the fast and full alert paths when the world works", async () => {
    const { checks, world } = await verifyWith({}, { full: true });
    expect(checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "case.create",
        "case.push",
        "case.incident",
        "case.comment",
        "case.in-progress",
        "case.closed",
        "case.cleanup",
        "alerts.execute",
        "alerts.workflow",
        "alerts.row",
        "alerts.incident",
        "full.document",
        "full.kibana-alert",
        "full.row",
        "full.incident",
      ]),
    );
    expect(world.deleted).toHaveLength(1);
    // The test incident stays, closed and labelled.
    const incident = [...world.incidents.values()].find((i) => i.title.startsWith("sentinel-elastic verify"));
    expect(incident).toMatchObject({ status: "Closed", labels: ["elastic-case"] });
  });

  it("every hop reports how long it took", async () => {
    const { checks } = await verifyWith({});
    for (const c of checks) expect(typeof c.durationMs).toBe("number");
  });

  it("--only case runs no alert hop, --only alerts no case hop", async () => {
    const onlyCase = await verifyWith({}, { only: "case" });
    expect(onlyCase.checks.some((c) => c.id.startsWith("alerts."))).toBe(false);
    const onlyAlerts = await verifyWith({}, { only: "alerts" });
    expect(onlyAlerts.checks.some((c) => c.id.startsWith("case."))).toBe(false);
  });
});

describe("a broken hop is named, with its cause and remedy, and the rest of its path is skipped", () => {
  it("a failing push fails case.push, skips the incident hops, and still deletes the test case", async () => {
    const { checks, world } = await verifyWith({ push: true }, { only: "case" });
    expect(byId(checks, "case.push")).toMatchObject({ status: "fail", cause: expect.stringContaining("401") });
    expect(byId(checks, "case.incident")?.status).toBe("skip");
    expect(byId(checks, "case.cleanup")?.status).toBe("pass");
    expect(world.deleted).toHaveLength(1);
  });

  it("a wrong severity mapping fails case.incident and says what it expected", async () => {
    const { checks } = await verifyWith({ severityMapping: true }, { only: "case" });
    const c = byId(checks, "case.incident")!;
    expect(c.status).toBe("fail");
    expect(c.cause).toMatch(/severity High/);
    expect(c.remedy).toMatch(/case-sync/);
  });

  it("an incident without the elastic-case label fails case.incident", async () => {
    const { checks } = await verifyWith({ noLabel: true }, { only: "case" });
    expect(byId(checks, "case.incident")).toMatchObject({
      status: "fail",
      cause: expect.stringMatching(/elastic-case/),
    });
  });

  it("comments that never arrive fail case.comment", async () => {
    const { checks } = await verifyWith({ comments: true }, { only: "case" });
    expect(byId(checks, "case.comment")?.status).toBe("fail");
  });

  it("a status that does not sync fails case.in-progress", async () => {
    const { checks } = await verifyWith({ statusSync: true }, { only: "case" });
    expect(byId(checks, "case.in-progress")).toMatchObject({
      status: "fail",
      cause: expect.stringMatching(/not Active/),
    });
  });

  it("a connector pointing at a dead URL fails alerts.execute", async () => {
    const { checks } = await verifyWith({ connectorError: true }, { only: "alerts" });
    expect(byId(checks, "alerts.execute")).toMatchObject({
      status: "fail",
      cause: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(byId(checks, "alerts.workflow")?.status).toBe("skip");
  });

  it("a failed workflow run names the failing action and Azure's message", async () => {
    const { checks } = await verifyWith({ workflowFails: true }, { only: "alerts" });
    const c = byId(checks, "alerts.workflow")!;
    expect(c.status).toBe("fail");
    expect(c.cause).toMatch(/Send_to_Logs_Ingestion: 403 AuthorizationFailed/);
    expect(c.remedy).toMatch(/Monitoring Metrics Publisher/);
  });

  it("rows that never land fail alerts.row with the ingestion-latency remedy", async () => {
    const { checks } = await verifyWith({ ingestion: true }, { only: "alerts" });
    const c = byId(checks, "alerts.row")!;
    expect(c.status).toBe("fail");
    expect(c.remedy).toMatch(/--timeout/);
  });

  it("a disabled analytics rule fails alerts.incident", async () => {
    const { checks } = await verifyWith({ nrt: true }, { only: "alerts" });
    expect(byId(checks, "alerts.row")?.status).toBe("pass");
    expect(byId(checks, "alerts.incident")).toMatchObject({
      status: "fail",
      remedy: expect.stringMatching(/every minute/),
    });
  });

  it("a disabled detection rule fails full.kibana-alert and says so", async () => {
    const { checks } = await verifyWith({ ruleDisabled: true }, { only: "alerts", full: true });
    expect(byId(checks, "full.kibana-alert")).toMatchObject({
      status: "fail",
      cause: "the detection rule is disabled",
      remedy: expect.stringMatching(/Enable the rule/),
    });
  });
});

describe("verify's incident hop accepts only the incident that holds our alert", () => {
  it("an earlier run's incident with the same rule title is not taken for ours", async () => {
    // Given an analytics rule that raises nothing for our alert, and an incident of an earlier run of the same rule
    // (same title, created as this run starts) in the queue
    const ctx = context();
    const world = createFakeWorld({ nrt: true }, `${KIBANA}/app/security/cases/`, { now: ctx.now });
    world.incidents.set("earlier", {
      id: "earlier",
      title: "Elastic Security alert: elastic-sentinel forward",
      severity: "High",
      status: "New",
      labels: [],
      createdTimeUtc: new Date(ctx.now()).toISOString(),
      relatedAnalyticRuleIds: ["rule"],
      comments: [],
    });
    // When verify follows the full path
    const checks = await runVerification(ctx, { probes: world.probes, timeoutMs: 60_000, only: "alerts", full: true });
    // Then the full path's incident hop fails: no incident carries the alert our rule raised
    expect(byId(checks, "full.row")?.status).toBe("pass");
    expect(byId(checks, "full.incident")?.status).toBe("fail");
  });
});

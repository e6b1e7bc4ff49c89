/**
 * Teardown of the Kibana side, in an order that never leaves a broken reference (field-notes: bulk rule actions
 * fail when a rule points at a deleted connector, kibana#239606): the detection rule before the alert connector,
 * the case settings before the case connector. Only objects with our deterministic ids are touched.
 */
import type { Change, Check, Step, StepContext } from "../engine/types.js";
import type { CaseConnectorRef } from "../kibana/cases-configure.js";
import { CASES_WEBHOOK, readReplacedConnector } from "../kibana/connector-bodies.js";
import { CASES_OWNER } from "../names.js";

const NONE_CONNECTOR = { id: "none", name: "none", type: ".none", fields: null } as const;

type Ctx = Pick<StepContext, "config" | "names" | "clients">;

function remainingCheck(step: Step, changes: Change[]): Check[] {
  const left = changes.filter((c) => c.action !== "no-op");
  return [
    {
      id: `teardown.${step.id}`,
      title: step.title,
      status: left.length === 0 ? "pass" : "fail",
      evidence: left.length === 0 ? "nothing of ours left" : left.map((c) => `${c.resource} ${c.name}`).join(", "),
      remedy: left.length === 0 ? undefined : "Run `sentinel-elastic teardown` again.",
    },
  ];
}

export const kibanaRuleTeardown: Step = {
  id: "teardown-kibana-rule",
  title: "Kibana detection rule",
  target: "kibana",
  enabled: () => true,
  async plan(ctx: Ctx) {
    const k = await ctx.clients.kibana();
    const ruleId = ctx.names.kibana.ruleId;
    const rule = await k.getRuleByRuleId(ruleId);
    const base = { step: this.id, target: "kibana" as const, resource: "detection rule", name: ruleId };
    return rule
      ? [{ ...base, action: "delete" as const, reason: "created by setup (deterministic rule_id)", destructive: true }]
      : [{ ...base, action: "no-op" as const, reason: "not there" }];
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    const k = await ctx.clients.kibana();
    await k.deleteRule(ctx.names.kibana.ruleId);
  },
  async verify(ctx) {
    return remainingCheck(this, await this.plan(ctx));
  },
};

export const kibanaAlertConnectorTeardown: Step = {
  id: "teardown-kibana-alert-connector",
  title: "Kibana alert connector",
  target: "kibana",
  after: ["teardown-kibana-rule"],
  enabled: () => true,
  async plan(ctx: Ctx) {
    const k = await ctx.clients.kibana();
    const id = ctx.names.kibana.alertConnectorId;
    const base = { step: this.id, target: "kibana" as const, resource: "connector (.webhook)", name: id };
    return (await k.getConnector(id))
      ? [{ ...base, action: "delete" as const, reason: "created by setup (deterministic id)", destructive: true }]
      : [{ ...base, action: "no-op" as const, reason: "not there" }];
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    await (await ctx.clients.kibana()).deleteConnector(ctx.names.kibana.alertConnectorId);
  },
  async verify(ctx) {
    return remainingCheck(this, await this.plan(ctx));
  },
};

type Kibana = Awaited<ReturnType<Ctx["clients"]["kibana"]>>;

/**
 * What the default case connector goes back to: the one setup replaced, as recorded on our own case connector
 * (connector-bodies.ts REPLACED_CONNECTOR_HEADER), when it still exists — with its current name and type —
 * else none (and why).
 */
async function restoreTarget(
  k: Kibana,
  caseConnectorId: string,
): Promise<{ connector: CaseConnectorRef; why: string }> {
  const ours = await k.getConnector(caseConnectorId);
  const replaced = readReplacedConnector(ours?.config);
  if (!replaced) {
    return { connector: { ...NONE_CONNECTOR }, why: "setup found no default case connector: set it back to none" };
  }
  const theirs = await k.getConnector(replaced.id);
  if (!theirs) {
    return {
      connector: { ...NONE_CONNECTOR },
      why: `setup replaced '${replaced.name}' (${replaced.id}), which no longer exists: set the default to none`,
    };
  }
  return {
    // Case settings hold no connector fields (`fields: null`), whatever the connector type (kibana-facts.md §2).
    connector: { id: theirs.id, name: theirs.name, type: theirs.connector_type_id, fields: null },
    why: `put back '${theirs.name}' (${theirs.id}), the default case connector setup replaced`,
  };
}

export const kibanaCaseSettingsTeardown: Step = {
  id: "teardown-kibana-case-settings",
  title: "Kibana case settings",
  target: "kibana",
  enabled: () => true,
  async plan(ctx: Ctx) {
    const k = await ctx.clients.kibana();
    const ours = ctx.names.kibana.caseConnectorId;
    const current = (await k.getCaseConfigurations(CASES_OWNER))[0];
    const base = { step: this.id, target: "kibana" as const, resource: "case settings", name: k.space };
    if (!current || current.connector?.id !== ours)
      return [{ ...base, action: "no-op" as const, reason: "the default case connector is not ours" }];
    const { connector, why } = await restoreTarget(k, ctx.names.kibana.caseConnectorId);
    return [
      {
        ...base,
        action: "update" as const,
        reason: `our connector is the default: ${why} before deleting ours`,
        diff: [{ field: "connector", from: ours, to: connector.id }],
        destructive: true,
      },
    ];
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "update")) return;
    const k = await ctx.clients.kibana();
    const current = (await k.getCaseConfigurations(CASES_OWNER))[0];
    if (!current || current.connector?.id !== ctx.names.kibana.caseConnectorId) return;
    // Resolved again: the replaced connector may have been deleted since the plan.
    const { connector } = await restoreTarget(k, ctx.names.kibana.caseConnectorId);
    await k.patchCaseConfiguration(current.id, { version: current.version, connector });
  },
  async verify(ctx) {
    return remainingCheck(this, await this.plan(ctx));
  },
};

export const kibanaCaseConnectorTeardown: Step = {
  id: "teardown-kibana-case-connector",
  title: "Kibana case connector",
  target: "kibana",
  after: ["teardown-kibana-case-settings"],
  enabled: () => true,
  async plan(ctx: Ctx) {
    const k = await ctx.clients.kibana();
    const id = ctx.names.kibana.caseConnectorId;
    const base = { step: this.id, target: "kibana" as const, resource: `connector (${CASES_WEBHOOK})`, name: id };
    return (await k.getConnector(id))
      ? [{ ...base, action: "delete" as const, reason: "created by setup (deterministic id)", destructive: true }]
      : [{ ...base, action: "no-op" as const, reason: "not there" }];
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    await (await ctx.clients.kibana()).deleteConnector(ctx.names.kibana.caseConnectorId);
  },
  async verify(ctx) {
    return remainingCheck(this, await this.plan(ctx));
  },
};

export const kibanaTeardownSteps: Step[] = [
  kibanaRuleTeardown,
  kibanaAlertConnectorTeardown,
  kibanaCaseSettingsTeardown,
  kibanaCaseConnectorTeardown,
];

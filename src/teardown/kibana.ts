/**
 * Teardown of the Kibana side, in an order that never leaves a broken reference (field-notes: bulk rule actions
 * fail when a rule points at a deleted connector, kibana#239606): the detection rule before the alert connector,
 * the case settings before the case connector. Only objects with our deterministic ids AND our marker
 * (src/ownership/marker.ts) are touched; a look-alike is listed as someone else's and left alone.
 */
import type { Change, Check, Step, StepContext } from "../engine/types.js";
import type { CaseConnectorRef } from "../kibana/cases-configure.js";
import { CASES_WEBHOOK, readReplacedConnector } from "../kibana/connector-bodies.js";
import { CASES_OWNER, type Names } from "../names.js";
import {
  connectorInstance,
  connectorIsOurs,
  INSTANCE_HEADER,
  ruleInstanceTag,
  ruleIsOurs,
} from "../ownership/marker.js";
import { otherInstancesCaseConnectors } from "../ownership/shared.js";

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
    if (!rule) return [{ ...base, action: "no-op" as const, reason: "not there" }];
    if (!ruleIsOurs(rule, ctx.names.prefix))
      return [
        {
          ...base,
          action: "no-op" as const,
          reason: NOT_OURS("our rule_id", `tag ${ruleInstanceTag(ctx.names.prefix)}`),
        },
      ];
    return [
      {
        ...base,
        action: "delete" as const,
        reason: `ours (tag ${ruleInstanceTag(ctx.names.prefix)})`,
        destructive: true,
      },
    ];
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    const k = await ctx.clients.kibana();
    const ruleId = ctx.names.kibana.ruleId;
    // Read again: never delete a rule that is not (or no longer) ours.
    if (ruleIsOurs(await k.getRuleByRuleId(ruleId), ctx.names.prefix)) await k.deleteRule(ruleId);
  },
  async verify(ctx) {
    return remainingCheck(this, await this.plan(ctx));
  },
};

const NOT_OURS = (what: string, marker: string) =>
  `has ${what} but not our marker (${marker}): someone else's, left alone`;
const HEADER_MARKER = (prefix: string) => `header ${INSTANCE_HEADER}: ${prefix}`;

async function planConnectorTeardown(ctx: Ctx, step: Step, id: string, resource: string): Promise<Change[]> {
  const k = await ctx.clients.kibana();
  const prefix = ctx.names.prefix;
  const base = { step: step.id, target: "kibana" as const, resource, name: id };
  const c = await k.getConnector(id);
  if (!c) return [{ ...base, action: "no-op", reason: "not there" }];
  if (!connectorIsOurs(c, prefix))
    return [{ ...base, action: "no-op", reason: NOT_OURS("our id", HEADER_MARKER(prefix)) }];
  return [{ ...base, action: "delete", reason: `ours (${HEADER_MARKER(prefix)})`, destructive: true }];
}

async function deleteOurConnector(ctx: Ctx, id: string): Promise<void> {
  const k = await ctx.clients.kibana();
  // Read again: never delete a connector that is not (or no longer) ours.
  if (connectorIsOurs(await k.getConnector(id), ctx.names.prefix)) await k.deleteConnector(id);
}

export const kibanaAlertConnectorTeardown: Step = {
  id: "teardown-kibana-alert-connector",
  title: "Kibana alert connector",
  target: "kibana",
  after: ["teardown-kibana-rule"],
  enabled: () => true,
  plan(ctx: Ctx) {
    return planConnectorTeardown(ctx, this, ctx.names.kibana.alertConnectorId, "connector (.webhook)");
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    await deleteOurConnector(ctx, ctx.names.kibana.alertConnectorId);
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
async function restoreTarget(k: Kibana, names: Names): Promise<{ connector: CaseConnectorRef; why: string }> {
  // Another instance still using the case settings takes the default over (src/ownership/shared.ts); only the
  // last instance puts back what was there before the first.
  const other = otherInstancesCaseConnectors(await k.listConnectors(), names.prefix)[0];
  if (other) {
    return {
      connector: { id: other.id, name: other.name, type: other.connector_type_id, fields: null },
      why: `instance ${connectorInstance(other.config)} still uses the case settings: its connector ${other.id} becomes the default`,
    };
  }
  const ours = await k.getConnector(names.kibana.caseConnectorId);
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
    if (!connectorIsOurs(await k.getConnector(ours), ctx.names.prefix))
      return [
        {
          ...base,
          action: "no-op" as const,
          reason: `the default case connector ${ours} ${NOT_OURS("our id", HEADER_MARKER(ctx.names.prefix))}`,
        },
      ];
    const { connector, why } = await restoreTarget(k, ctx.names);
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
    const ours = ctx.names.kibana.caseConnectorId;
    if (!current || current.connector?.id !== ours) return;
    if (!connectorIsOurs(await k.getConnector(ours), ctx.names.prefix)) return;
    // Resolved again: the replaced connector may have been deleted since the plan.
    const { connector } = await restoreTarget(k, ctx.names);
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
  plan(ctx: Ctx) {
    return planConnectorTeardown(
      ctx,
      this,
      ctx.names.kibana.caseConnectorId,
      `connector (${CASES_WEBHOOK})`,
    );
  },
  async apply(ctx: Ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    await deleteOurConnector(ctx, ctx.names.kibana.caseConnectorId);
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

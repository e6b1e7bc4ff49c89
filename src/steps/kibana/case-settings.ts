/**
 * Case settings of the security solution in our space: our connector is the default for new cases.
 * POST /api/cases/configure replaces every configuration of the owner, so an existing one is PATCHed with
 * its version (elastic/kibana x-pack/platform/plugins/shared/cases/server/client/configure/client.ts). The user's closure type is kept unless cases.closureType is set. Replacing
 * a different connector the user configured is destructive: shown in the plan, done only when confirmed.
 */
import type { Change, Check, Step } from "../../engine/types.js";
import type { CaseConfiguration, CaseConnectorRef, ClosureType } from "../../kibana/cases-configure.js";
import { readReplacedConnector } from "../../kibana/connector-bodies.js";
import { CASES_OWNER, type Names } from "../../names.js";
import { caseConnectorRef, KIBANA_CASE_CONNECTOR, recordReplacedConnector } from "./case-connector.js";
import { connectorInstance, connectorIsOurs } from "../../ownership/marker.js";
import { originalDefault, otherInstancesCaseConnectors } from "../../ownership/shared.js";
import { notOursReason, remainingCheck } from "../teardown-common.js";
import { connectorMarker } from "./connector-common.js";
import type { FieldDiff, KibanaStepContext } from "./stack.js";

export const KIBANA_CASE_SETTINGS = "kibana-case-settings";
const RESOURCE = "case settings (securitySolution)";
const DEFAULT_CLOSURE: ClosureType = "close-by-user";

interface Payload {
  configurationId?: string;
  connector: CaseConnectorRef;
  closureType?: ClosureType;
  replacing?: { id: string; name: string; type: string };
}

function isNone(c: CaseConnectorRef | undefined): boolean {
  return !c || c.id === "none" || c.type === ".none";
}

export async function planCaseSettings(ctx: KibanaStepContext): Promise<Change<Payload>[]> {
  const kibana = await ctx.clients.kibana();
  const configs = await kibana.getCaseConfigurations(CASES_OWNER);
  const connector = caseConnectorRef(ctx.names);
  const wantedClosure = ctx.config.cases.closureType;
  const base = { step: KIBANA_CASE_SETTINGS, target: "kibana" as const, resource: RESOURCE, name: kibana.space };
  const current: CaseConfiguration | undefined = configs[0];
  if (!current) {
    const closureType = wantedClosure ?? DEFAULT_CLOSURE;
    return [
      {
        ...base,
        action: "create",
        reason: "no case settings yet: default connector and closure type",
        diff: [
          { field: "connector", to: connector.id },
          { field: "closure_type", to: closureType },
        ],
        payload: { connector, closureType } satisfies Payload,
      },
    ];
  }
  const diff: FieldDiff[] = [];
  let replacing: Payload["replacing"];
  let sharedWith: string | undefined;
  if (current.connector?.id !== connector.id) {
    diff.push({
      field: "connector",
      from: isNone(current.connector) ? "none" : current.connector.id,
      to: connector.id,
    });
    if (!isNone(current.connector)) {
      // Another instance's connector (ours by its marker, another prefix) is not the user's: taken over without
      // asking; teardown hands the default back to an instance that is still there (src/ownership/shared.ts).
      const owner = connectorInstance((await kibana.getConnector(current.connector.id))?.config);
      if (owner && owner !== ctx.names.prefix) sharedWith = owner;
      else replacing = { id: current.connector.id, name: current.connector.name, type: current.connector.type };
    }
  } else if (current.connector.name !== connector.name || current.connector.type !== connector.type) {
    diff.push({ field: "connector.name", from: current.connector.name, to: connector.name });
  }
  const closureType = wantedClosure && wantedClosure !== current.closure_type ? wantedClosure : undefined;
  if (closureType) diff.push({ field: "closure_type", from: current.closure_type, to: closureType });
  if (!diff.length) return [{ ...base, action: "no-op", reason: "our connector is the default; closure type kept" }];
  return [
    {
      ...base,
      action: "update",
      reason: replacing
        ? `replaces the default case connector '${replacing.name}' (${replacing.type}) with ours`
        : sharedWith
          ? `instance ${sharedWith}'s connector is the default: ours takes over (teardown hands it back)`
          : "set our connector as the default for new cases",
      destructive: Boolean(replacing),
      diff,
      payload: { configurationId: current.id, connector, closureType, replacing } satisfies Payload,
    },
  ];
}

export async function applyCaseSettings(ctx: KibanaStepContext, changes: Change<Payload>[]): Promise<void> {
  const change = changes.find((c) => c.step === KIBANA_CASE_SETTINGS && c.action !== "no-op");
  if (!change) return;
  const payload = change.payload!;
  const kibana = await ctx.clients.kibana();
  if (change.destructive && payload.replacing) {
    const ok = await ctx.io.ask({
      kind: "confirm",
      code: "kibana.caseSettings.replaceConnector",
      message: `Space '${kibana.space}' uses the case connector '${payload.replacing.name}' (${payload.replacing.type}) by default. Replace it with the Sentinel connector?`,
      default: false,
      destructive: true,
    });
    if (!ok) {
      ctx.io.message(
        "warn",
        `Kept '${payload.replacing.name}' as the default case connector; cases can still be pushed to Sentinel by choosing our connector on the case.`,
      );
      return;
    }
  }
  // Re-read for a fresh version (another user may have saved the settings since the plan).
  const current = (await kibana.getCaseConfigurations(CASES_OWNER))[0];
  if (current?.connector?.id !== payload.connector.id) {
    // Remember what we replace (or that it was none) on our own connector BEFORE replacing it, so teardown can
    // put it back even when this run stops right after (connector-bodies.ts REPLACED_CONNECTOR_HEADER).
    // With another instance's connector as the default, what was there before the first instance is what that
    // instance recorded (src/ownership/shared.ts).
    const found = current?.connector;
    const ref = isNone(found) ? undefined : { id: found!.id, name: found!.name, type: found!.type };
    await recordReplacedConnector(
      ctx,
      originalDefault(ref, ref ? await kibana.getConnector(ref.id) : undefined, ctx.names.prefix),
    );
  }
  if (!current) {
    await kibana.createCaseConfiguration({
      owner: CASES_OWNER,
      closure_type: payload.closureType ?? DEFAULT_CLOSURE,
      connector: payload.connector,
    });
    return;
  }
  await kibana.patchCaseConfiguration(current.id, {
    version: current.version,
    connector: payload.connector,
    ...(payload.closureType ? { closure_type: payload.closureType } : {}),
  });
}

export async function verifyCaseSettings(ctx: KibanaStepContext): Promise<Check> {
  const kibana = await ctx.clients.kibana();
  const current = (await kibana.getCaseConfigurations(CASES_OWNER))[0];
  const wanted = ctx.names.kibana.caseConnectorId;
  const title = "Sentinel connector is the default for new cases";
  if (current?.connector?.id === wanted) {
    return {
      id: `${KIBANA_CASE_SETTINGS}.connector`,
      title,
      status: "pass",
      evidence: `closure type ${current.closure_type}`,
    };
  }
  return {
    id: `${KIBANA_CASE_SETTINGS}.connector`,
    title,
    status: "warn",
    cause: current ? `the default connector is ${current.connector?.name ?? "none"}` : "no case settings",
    remedy: "Choose the Sentinel connector per case, or re-run setup and confirm the replacement.",
  };
}

export const caseSettingsStep: Step<Payload> = {
  id: KIBANA_CASE_SETTINGS,
  title: "Kibana case settings (default connector)",
  target: "kibana",
  after: [KIBANA_CASE_CONNECTOR],
  enabled: (config) => config.features.caseSync,
  plan: planCaseSettings,
  apply: applyCaseSettings,
  verify: async (ctx) => [await verifyCaseSettings(ctx)],
};

const NONE_CONNECTOR = { id: "none", name: "none", type: ".none", fields: null } as const;

type Kibana = Awaited<ReturnType<KibanaStepContext["clients"]["kibana"]>>;

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
    // Case settings hold no connector fields (`fields: null`), whatever the connector type (elastic/kibana x-pack/platform/plugins/shared/cases/common/types/domain/connector/v1.ts).
    connector: { id: theirs.id, name: theirs.name, type: theirs.connector_type_id, fields: null },
    why: `put back '${theirs.name}' (${theirs.id}), the default case connector setup replaced`,
  };
}

/** Teardown: before the case connector, the default goes back to what setup replaced (or none). */
export const KIBANA_CASE_SETTINGS_TEARDOWN = "teardown-kibana-case-settings";

export const caseSettingsTeardown: Step = {
  id: KIBANA_CASE_SETTINGS_TEARDOWN,
  title: "Kibana case settings",
  target: "kibana",
  enabled: () => true,
  async plan(ctx: KibanaStepContext) {
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
          reason: `the default case connector ${ours} ${notOursReason("our id", connectorMarker(ctx.names.prefix))}`,
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
  async apply(ctx: KibanaStepContext, changes) {
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

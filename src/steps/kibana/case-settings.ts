/**
 * Case settings of the security solution in our space: our connector is the default for new cases.
 * POST /api/cases/configure replaces every configuration of the owner, so an existing one is PATCHed with
 * its version (kibana-facts.md §2). The user's closure type is kept unless cases.closureType is set. Replacing
 * a different connector the user configured is destructive: shown in the plan, done only when confirmed.
 */
import type { Change, Check, Step } from "../../engine/types.js";
import type { CaseConfiguration, CaseConnectorRef, ClosureType } from "../../kibana/cases-configure.js";
import { CASES_WEBHOOK } from "../../kibana/connector-bodies.js";
import { CASES_OWNER, type Names } from "../../names.js";
import { KIBANA_CASE_CONNECTOR, recordReplacedConnector } from "./case-connector.js";
import { connectorInstance } from "../../ownership/marker.js";
import { originalDefault } from "../../ownership/shared.js";
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

function desiredConnector(names: Names): CaseConnectorRef {
  // For .cases-webhook the connector's `fields` must be null (kibana-facts.md §2).
  return { id: names.kibana.caseConnectorId, name: names.kibana.caseConnectorName, type: CASES_WEBHOOK, fields: null };
}

function isNone(c: CaseConnectorRef | undefined): boolean {
  return !c || c.id === "none" || c.type === ".none";
}

export async function planCaseSettings(ctx: KibanaStepContext): Promise<Change[]> {
  const kibana = await ctx.clients.kibana();
  const configs = await kibana.getCaseConfigurations(CASES_OWNER);
  const connector = desiredConnector(ctx.names);
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

export async function applyCaseSettings(ctx: KibanaStepContext, changes: Change[]): Promise<void> {
  const change = changes.find((c) => c.step === KIBANA_CASE_SETTINGS && c.action !== "no-op");
  if (!change) return;
  const payload = change.payload as Payload;
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

export const caseSettingsStep: Step = {
  id: KIBANA_CASE_SETTINGS,
  title: "Kibana case settings (default connector)",
  target: "kibana",
  after: [KIBANA_CASE_CONNECTOR],
  enabled: (config) => config.features.caseSync,
  plan: planCaseSettings,
  apply: applyCaseSettings,
  verify: async (ctx) => [await verifyCaseSettings(ctx)],
};

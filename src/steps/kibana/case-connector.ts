/**
 * The Webhook – Case Management connector that pushes Kibana cases to the case-sync Logic App
 * (docs/contracts.md). Exists only with features.caseSync.
 */
import type { Step } from "../../engine/types.js";
import type { CaseConnectorRef } from "../../kibana/cases-configure.js";
import type { Names } from "../../names.js";
import {
  buildCaseConnectorBody,
  CASE_CONNECTOR_URL_FIELDS,
  CASES_WEBHOOK,
  type ReplacedConnector,
  readReplacedConnector,
  withReplacedConnector,
} from "../../kibana/connector-bodies.js";
import { resolveCloud } from "../../azure/cloud.js";
import { defenderViewIncidentUrl, portalUrl, requireWorkspace } from "../../kibana/sentinel-portal.js";
import { factsOf } from "../azure/facts.js";
import { connectorIsOurs } from "../../ownership/marker.js";
import {
  applyConnector,
  type ConnectorSpec,
  connectorTeardown,
  markedBody,
  PLACEHOLDER_URL,
  planConnector,
  verifyConnector,
} from "./connector-common.js";
import { CALLBACK_URLS_ID } from "../azure/callback-urls.js";
import { KIBANA_PREFLIGHT } from "./preflight.js";
import { type KibanaStepContext, stackInfo } from "./stack.js";

export const KIBANA_CASE_CONNECTOR = "kibana-case-connector";

/**
 * How cases and the case settings name our connector. For `.cases-webhook` the connector's `fields` must be
 * null (elastic/kibana x-pack/platform/plugins/shared/cases/common/types/domain/connector/v1.ts).
 */
export function caseConnectorRef(names: Names): CaseConnectorRef & { fields: null } {
  return { id: names.kibana.caseConnectorId, name: names.kibana.caseConnectorName, type: CASES_WEBHOOK, fields: null };
}

const spec = (names: Names): ConnectorSpec => ({
  step: KIBANA_CASE_CONNECTOR,
  resource: `connector (${CASES_WEBHOOK})`,
  id: names.kibana.caseConnectorId,
  typeId: CASES_WEBHOOK,
  urlFields: CASE_CONNECTOR_URL_FIELDS,
  urlName: "case-sync and case-get callback URLs",
  urlsKnown: (ctx) => Boolean(ctx.shared.callbackUrls.caseSync && ctx.shared.callbackUrls.caseGet),
  async build(ctx, placeholder) {
    const stack = await stackInfo(ctx);
    const urls = ctx.shared.callbackUrls;
    return buildCaseConnectorBody({
      name: names.kibana.caseConnectorName,
      version: stack.version,
      kibanaUrl: stack.baseUrl,
      space: ctx.config.elastic.space,
      portal: portalUrl(ctx.config),
      workspace: requireWorkspace(ctx.names.workspace),
      viewIncidentUrl: defenderView(ctx),
      caseSyncUrl: placeholder ? PLACEHOLDER_URL : urls.caseSync!,
      caseGetUrl: placeholder ? PLACEHOLDER_URL : urls.caseGet!,
    });
  },
  // The default case connector setup replaced, recorded by the case settings step (connector-bodies.ts):
  // kept as it is, never drift.
  carryOver: (existing, desired) => withReplacedConnector(desired, readReplacedConnector(existing.config)),
});

/**
 * Records on our case connector which default case connector setup is about to replace (or, with undefined,
 * that it replaced none), before the case settings change, so that teardown can put it back. The body is
 * rebuilt in full (an update re-sends everything; the callback URLs are known once our connector was written).
 */
export async function recordReplacedConnector(
  ctx: KibanaStepContext,
  replaced: ReplacedConnector | undefined,
): Promise<void> {
  const s = spec(ctx.names);
  const kibana = await ctx.clients.kibana();
  const existing = await kibana.getConnector(s.id);
  if (!existing || !connectorIsOurs(existing, ctx.names.prefix)) return;
  if (JSON.stringify(readReplacedConnector(existing.config)) === JSON.stringify(replaced)) return;
  const body = s.urlsKnown(ctx)
    ? await markedBody(ctx, s, false)
    : { name: existing.name, config: { ...(existing.config ?? {}) }, secrets: {} };
  await kibana.updateConnector(s.id, withReplacedConnector(body, replaced));
}

/** In Defender mode, Kibana's incident link goes to the Defender portal of the tenant. */
function defenderView(ctx: KibanaStepContext): string | undefined {
  const facts = factsOf(ctx);
  const portal = resolveCloud(ctx.config.azure).defenderPortal;
  const tenant = facts.tenantId ?? ctx.config.azure.tenantId;
  return facts.portal === "defender" && portal && tenant ? defenderViewIncidentUrl(portal, tenant) : undefined;
}

export const caseConnectorStep: Step = {
  id: KIBANA_CASE_CONNECTOR,
  title: "Kibana case connector (cases → Sentinel incidents)",
  target: "kibana",
  // The Azure side reads the Logic Apps' callback URLs; this connector points at them.
  after: [KIBANA_PREFLIGHT, CALLBACK_URLS_ID],
  enabled: (config) => config.features.caseSync,
  plan: (ctx) => planConnector(ctx, spec(ctx.names)),
  apply: async (ctx, changes) => {
    await applyConnector(ctx, spec(ctx.names), changes);
  },
  verify: async (ctx) => [await verifyConnector(ctx, spec(ctx.names), "Case connector configured")],
};

/** Teardown: after the case settings that name it as the default, and after verify's leftover test cases (closed through it). */
export const KIBANA_CASE_CONNECTOR_TEARDOWN = "teardown-kibana-case-connector";

export const caseConnectorTeardown: Step = connectorTeardown({
  id: KIBANA_CASE_CONNECTOR_TEARDOWN,
  title: "Kibana case connector",
  after: ["teardown-kibana-case-settings", "teardown-kibana-verify-cases"],
  typeId: CASES_WEBHOOK,
  connectorId: (ctx) => ctx.names.kibana.caseConnectorId,
});

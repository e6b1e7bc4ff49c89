/** The Webhook connector the detection rule's action posts alerts through, to the alert-ingest Logic App. */
import type { Step } from "../../engine/types.js";
import { ALERT_CONNECTOR_URL_FIELDS, buildAlertConnectorBody, WEBHOOK } from "../../kibana/connector-bodies.js";
import { names } from "../../kibana/rule-body.js";
import {
  applyConnector,
  type ConnectorSpec,
  PLACEHOLDER_URL,
  planConnector,
  verifyConnector,
} from "./connector-common.js";
import { CALLBACK_URLS_ID } from "../azure/callback-urls.js";
import { KIBANA_PREFLIGHT } from "./preflight.js";
import { stackInfo } from "./stack.js";

export const KIBANA_ALERT_CONNECTOR = "kibana-alert-connector";

export const alertConnectorName = (prefix: string) => `Microsoft Sentinel alert ingest (${prefix})`;

const spec = (prefix: string): ConnectorSpec => ({
  step: KIBANA_ALERT_CONNECTOR,
  resource: `connector (${WEBHOOK})`,
  id: names(prefix).alertConnectorId,
  typeId: WEBHOOK,
  urlFields: ALERT_CONNECTOR_URL_FIELDS,
  urlName: "alert-ingest callback URL",
  urlsKnown: (ctx) => Boolean(ctx.shared.callbackUrls.alertIngest),
  async build(ctx, placeholder) {
    const stack = await stackInfo(ctx);
    return buildAlertConnectorBody({
      name: alertConnectorName(prefix),
      version: stack.version,
      alertIngestUrl: placeholder ? PLACEHOLDER_URL : ctx.shared.callbackUrls.alertIngest!,
    });
  },
});

export const alertConnectorStep: Step = {
  id: KIBANA_ALERT_CONNECTOR,
  title: "Kibana alert connector (rule actions → Sentinel)",
  target: "kibana",
  // The Azure side reads the Logic Apps' callback URLs; this connector points at them.
  after: [KIBANA_PREFLIGHT, CALLBACK_URLS_ID],
  enabled: (config) => config.features.alertForwarding,
  plan: (ctx) => planConnector(ctx, spec(ctx.config.naming.prefix)),
  apply: (ctx, changes) => applyConnector(ctx, spec(ctx.config.naming.prefix), changes),
  verify: async (ctx) => [await verifyConnector(ctx, spec(ctx.config.naming.prefix), "Alert connector configured")],
};

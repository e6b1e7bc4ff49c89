/** The Webhook connector the detection rule's action posts alerts through, to the alert-ingest Logic App. */
import type { Step } from "../../engine/types.js";
import type { Names } from "../../names.js";
import { ALERT_CONNECTOR_URL_FIELDS, buildAlertConnectorBody, WEBHOOK } from "../../kibana/connector-bodies.js";
import {
  applyConnector,
  type ConnectorSpec,
  connectorTeardown,
  PLACEHOLDER_URL,
  planConnector,
  verifyConnector,
} from "./connector-common.js";
import { CALLBACK_URLS_ID } from "../azure/callback-urls.js";
import { KIBANA_PREFLIGHT } from "./preflight.js";
import { stackInfo } from "./stack.js";

export const KIBANA_ALERT_CONNECTOR = "kibana-alert-connector";

const spec = (names: Names): ConnectorSpec => ({
  step: KIBANA_ALERT_CONNECTOR,
  resource: `connector (${WEBHOOK})`,
  id: names.kibana.alertConnectorId,
  typeId: WEBHOOK,
  urlFields: ALERT_CONNECTOR_URL_FIELDS,
  urlName: "alert-ingest callback URL",
  urlsKnown: (ctx) => Boolean(ctx.shared.callbackUrls.alertIngest),
  async build(ctx, placeholder) {
    const stack = await stackInfo(ctx);
    return buildAlertConnectorBody({
      name: names.kibana.alertConnectorName,
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
  plan: (ctx) => planConnector(ctx, spec(ctx.names)),
  apply: (ctx, changes) => applyConnector(ctx, spec(ctx.names), changes),
  verify: async (ctx) => [await verifyConnector(ctx, spec(ctx.names), "Alert connector configured")],
};

/** Teardown: after the detection rule whose action points at it. */
export const KIBANA_ALERT_CONNECTOR_TEARDOWN = "teardown-kibana-alert-connector";

export const alertConnectorTeardown: Step = connectorTeardown({
  id: KIBANA_ALERT_CONNECTOR_TEARDOWN,
  title: "Kibana alert connector",
  after: ["teardown-kibana-rule"],
  typeId: WEBHOOK,
  connectorId: (ctx) => ctx.names.kibana.alertConnectorId,
});

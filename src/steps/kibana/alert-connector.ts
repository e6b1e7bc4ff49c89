/**
 * The Webhook connector the detection rule's action posts alerts through, to the alert-ingest Logic App.
 * With alerts.webhookAuth oauth2 (steps/azure/webhook-auth.ts) it holds the callback URL without its signature and
 * signs in with our app registration's client credentials (Kibana 9.2+): the token comes from
 * `<login>/<tenant>/oauth2/v2.0/token` for `api://<appId>/.default`, and the client secret sits in the connector's
 * encrypted `secrets`, never in its readable config.
 */
import type { Step, StepContext } from "../../engine/types.js";
import {
  ALERT_CONNECTOR_URL_FIELDS,
  buildAlertConnectorBody,
  WEBHOOK,
  withoutSas,
} from "../../kibana/connector-bodies.js";
import {
  applyConnector,
  type ConnectorSpec,
  connectorTeardown,
  PLACEHOLDER_URL,
  planConnector,
  verifyConnector,
} from "./connector-common.js";
import { CALLBACK_URLS_ID } from "../azure/callback-urls.js";
import { ALERT_APP_ID, ensureClientSecret, identifierUriOf, retireOldSecrets } from "../azure/alert-app.js";
import { webhookAuthOf } from "../azure/webhook-auth.js";
import { KIBANA_PREFLIGHT } from "./preflight.js";
import { stackInfo } from "./stack.js";

export const KIBANA_ALERT_CONNECTOR = "kibana-alert-connector";
const UNKNOWN_APP = "00000000-0000-0000-0000-000000000000";

async function oauth2Of(ctx: StepContext, forWrite: boolean) {
  if ((await webhookAuthOf(ctx)).mode !== "oauth2") return undefined;
  const app = ctx.shared.alertApp;
  const appId = app?.appId ?? UNKNOWN_APP;
  const login = (await ctx.clients.azure()).cloud.login;
  return {
    accessTokenUrl: `${login}/${app?.tenantId ?? ""}/oauth2/v2.0/token`,
    clientId: appId,
    scope: `${identifierUriOf(appId)}/.default`,
    // Secrets are never compared (Kibana does not return them): a real one only when the body is written.
    clientSecret: forWrite ? await ensureClientSecret(ctx) : "not-compared",
  };
}

const spec = (ctx: StepContext): ConnectorSpec => ({
  step: KIBANA_ALERT_CONNECTOR,
  resource: `connector (${WEBHOOK})`,
  id: ctx.names.kibana.alertConnectorId,
  typeId: WEBHOOK,
  urlFields: ALERT_CONNECTOR_URL_FIELDS,
  urlName: "alert-ingest callback URL",
  urlsKnown: (c) => Boolean(c.shared.callbackUrls.alertIngest),
  async build(_c, placeholder, forWrite) {
    const stack = await stackInfo(ctx);
    const oauth2 = await oauth2Of(ctx, Boolean(forWrite));
    const url = placeholder ? PLACEHOLDER_URL : ctx.shared.callbackUrls.alertIngest!;
    return buildAlertConnectorBody({
      name: ctx.names.kibana.alertConnectorName,
      version: stack.version,
      alertIngestUrl: oauth2 && !placeholder ? withoutSas(url) : url,
      ...(oauth2 ? { oauth2 } : {}),
    });
  },
  secretsChanged: () =>
    ctx.shared.alertApp?.rotate &&
    `client secret of ${ctx.names.azure.alertApp.displayName} rotated (${ctx.shared.alertApp.rotate})`,
  secretsUpkeep: () => ctx.shared.alertApp?.upkeep === true,
});

export const alertConnectorStep: Step = {
  id: KIBANA_ALERT_CONNECTOR,
  title: "Kibana alert connector (rule actions → Sentinel)",
  target: "kibana",
  // The Azure side reads the Logic Apps' callback URLs and registers the app; this connector points at them.
  after: [KIBANA_PREFLIGHT, CALLBACK_URLS_ID, ALERT_APP_ID],
  enabled: (config) => config.features.alertForwarding,
  plan: (ctx) => planConnector(ctx, spec(ctx)),
  async apply(ctx, changes) {
    const written = await applyConnector(ctx, spec(ctx), changes);
    // Only once the connector holds the new client secret may the old ones go.
    if (written) await retireOldSecrets(ctx);
  },
  verify: async (ctx) => [await verifyConnector(ctx, spec(ctx), "Alert connector configured")],
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

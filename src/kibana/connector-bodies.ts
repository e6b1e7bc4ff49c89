/**
 * The exact bodies of our two connectors, built from templates/kibana and gated on the stack version so
 * nothing unknown to the stack is sent (unknown keys are a 400: elastic/kibana src/platform/packages/shared/kbn-connector-schemas/cases_webhook/schemas/v1.ts).
 */
import type { ConnectorBody } from "./connectors.js";
import { spacePrefix } from "./http.js";
import { type IncidentWorkspace, viewIncidentUrl } from "./sentinel-portal.js";
import { type CasesWebhookTemplate, loadKibanaTemplate } from "./templates.js";
import { supports } from "./version.js";

export const CASES_WEBHOOK = ".cases-webhook";
export const WEBHOOK = ".webhook";

/** The fields that hold a callback URL (with its `sig`): compared only when the URL is known, printed redacted. */
export const CASE_CONNECTOR_URL_FIELDS = [
  "createIncidentUrl",
  "getIncidentUrl",
  "updateIncidentUrl",
  "createCommentUrl",
];
export const ALERT_CONNECTOR_URL_FIELDS = ["url"];

export interface CaseConnectorInputs {
  name: string;
  version: string;
  kibanaUrl: string;
  space: string;
  portal: string;
  workspace: IncidentWorkspace;
  /** Defender mode: the view URL (sentinel-portal.ts defenderViewIncidentUrl) instead of the Azure portal's. */
  viewIncidentUrl?: string;
  caseSyncUrl: string;
  caseGetUrl: string;
  /** Headers that must not sit in plain config; only sent where the stack has secretHeaders (9.2+). */
  secretHeaders?: Record<string, string>;
}

/** `<Kibana URL>[/s/<space>]/app/security/cases/` — the case's link is this plus its id. */
export function elasticCasesUrlBase(kibanaUrl: string, space: string): string {
  return `${kibanaUrl.replace(/\/+$/, "")}${spacePrefix(space)}/app/security/cases/`;
}

export function withQueryParam(url: string, param: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${param}`;
}

export function buildCaseConnectorBody(i: CaseConnectorInputs): ConnectorBody {
  const t = loadKibanaTemplate<CasesWebhookTemplate>("cases-webhook.json");
  // Inside a JSON string literal: escape as JSON, and never let it open a mustache tag.
  const base = JSON.stringify(elasticCasesUrlBase(i.kibanaUrl, i.space)).slice(1, -1).replace(/\{\{/g, "{ {");
  const fill = (json: string) => json.split("__ELASTIC_URL_BASE__").join(base);
  const config: Record<string, unknown> = {
    createIncidentUrl: i.caseSyncUrl,
    createIncidentMethod: "post",
    createIncidentJson: fill(t.createIncidentJson),
    createIncidentResponseKey: t.createIncidentResponseKey,
    getIncidentUrl: withQueryParam(i.caseGetUrl, t.getIncidentUrlSuffix),
    getIncidentResponseExternalTitleKey: t.getIncidentResponseExternalTitleKey,
    viewIncidentUrl: i.viewIncidentUrl ?? viewIncidentUrl(i.portal, t.viewIncidentPath, i.workspace),
    updateIncidentUrl: i.caseSyncUrl,
    updateIncidentMethod: "post",
    updateIncidentJson: fill(t.updateIncidentJson),
    createCommentUrl: i.caseSyncUrl,
    createCommentMethod: "post",
    // The case link base too: in Defender mode the comment workflow names the case (its id is the external id).
    createCommentJson: fill(t.createCommentJson),
    headers: { ...t.headers },
    // Header-only (here: none) auth must say hasAuth:false; the default true fails on 9.x and at execution on 8.x.
    hasAuth: false,
  };
  // getIncidentMethod exists from 8.17; older stacks reject the key (elastic/kibana#197437).
  if (supports(i.version, "casesWebhookGetMethod")) config.getIncidentMethod = "get";
  const secrets: Record<string, unknown> = {};
  if (i.secretHeaders && Object.keys(i.secretHeaders).length) {
    if (!supports(i.version, "secretHeaders")) {
      // Never fall back to plain headers for a secret.
      throw new Error("secret headers need Kibana 9.2 or newer");
    }
    secrets.secretHeaders = { ...i.secretHeaders };
  }
  return { name: i.name, config, secrets };
}

export interface AlertConnectorInputs {
  name: string;
  version: string;
  alertIngestUrl: string;
  secretHeaders?: Record<string, string>;
  /** OAuth2 client credentials (Kibana 9.2+): the URL then goes without its SAS parameters. */
  oauth2?: { accessTokenUrl: string; clientId: string; scope: string; clientSecret: string };
}

export const WEBHOOK_OAUTH2 = "webhook-oauth2-client-credentials";

/**
 * A callback URL without its SAS query parameters (`sp`, `sv`, `sig`): the form an OAuth call must use, since a
 * call that carries both schemes fails ("Secure access and data in Azure Logic Apps", "Enable OAuth with
 * Microsoft Entra ID"). `api-version` stays.
 */
export function withoutSas(url: string): string {
  const u = new URL(url);
  for (const k of ["sp", "sv", "sig"]) u.searchParams.delete(k);
  return u.toString();
}

export function buildAlertConnectorBody(i: AlertConnectorInputs): ConnectorBody {
  const secrets: Record<string, unknown> = {};
  if (i.secretHeaders && Object.keys(i.secretHeaders).length) {
    if (!supports(i.version, "secretHeaders")) throw new Error("secret headers need Kibana 9.2 or newer");
    secrets.secretHeaders = { ...i.secretHeaders };
  }
  if (i.oauth2) {
    if (!supports(i.version, "webhookOAuth2")) throw new Error("OAuth2 client credentials need Kibana 9.2 or newer");
    return {
      name: i.name,
      config: {
        url: withoutSas(i.alertIngestUrl),
        method: "post",
        headers: { "Content-Type": "application/json" },
        hasAuth: true,
        authType: WEBHOOK_OAUTH2,
        accessTokenUrl: i.oauth2.accessTokenUrl,
        clientId: i.oauth2.clientId,
        scope: i.oauth2.scope,
      },
      secrets: { ...secrets, clientSecret: i.oauth2.clientSecret },
    };
  }
  return {
    name: i.name,
    config: { url: i.alertIngestUrl, method: "post", headers: { "Content-Type": "application/json" }, hasAuth: false },
    // terraform-provider-elasticstack#397: send `secrets: {}` rather than omitting it.
    secrets,
  };
}

/**
 * Where setup remembers which default case connector it replaced, so that teardown can put it back.
 * There is no local state file by design (a re-run from another machine must know it too), and the case
 * settings themselves have no free field, so it is kept on the one remote object we own that lives exactly as
 * long as our case settings do: our own case connector. `.cases-webhook` config keys are strict (unknown keys
 * are a 400: elastic/kibana src/platform/packages/shared/kbn-connector-schemas) but `headers` is a free string→string record, sent only to our own case-sync
 * Logic App, which ignores it. The value is the JSON `{id,name,type}` of the replaced connector, ASCII-only
 * (non-ASCII escaped as \uXXXX) so it is a valid HTTP header value. It is not a secret and changes nothing in
 * how the connector works; the case connector step keeps it on updates and never counts it as drift.
 */
export const REPLACED_CONNECTOR_HEADER = "X-Sentinel-Elastic-Replaced-Connector";

export interface ReplacedConnector {
  id: string;
  name: string;
  type: string;
}

export function encodeReplacedConnector(r: ReplacedConnector): string {
  return JSON.stringify({ id: r.id, name: r.name, type: r.type }).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The replaced connector recorded in a connector's config.headers, if any (a malformed value counts as none). */
export function readReplacedConnector(config: Record<string, unknown> | undefined): ReplacedConnector | undefined {
  const headers = config?.headers as Record<string, unknown> | null | undefined;
  const raw = headers?.[REPLACED_CONNECTOR_HEADER];
  if (typeof raw !== "string") return undefined;
  try {
    const v = JSON.parse(raw) as Partial<ReplacedConnector>;
    if (typeof v.id !== "string" || !v.id) return undefined;
    return {
      id: v.id,
      name: typeof v.name === "string" ? v.name : v.id,
      type: typeof v.type === "string" ? v.type : "",
    };
  } catch {
    return undefined;
  }
}

/** `body` with the marker set (or removed when `replaced` is undefined); other headers untouched. */
export function withReplacedConnector(body: ConnectorBody, replaced: ReplacedConnector | undefined): ConnectorBody {
  const headers = { ...((body.config.headers as Record<string, string> | null | undefined) ?? {}) };
  delete headers[REPLACED_CONNECTOR_HEADER];
  if (replaced) headers[REPLACED_CONNECTOR_HEADER] = encodeReplacedConnector(replaced);
  return { ...body, config: { ...body.config, headers } };
}

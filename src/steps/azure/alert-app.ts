/**
 * The Microsoft Entra ID app registration the alert connector signs in with (alerts.webhookAuth oauth2): an
 * application named from ctx.names with the identifier URI `api://<appId>`, its service principal, and one client
 * secret that only Kibana holds (in the connector's encrypted `secrets`). The alert-ingest workflow's trigger
 * accepts its tokens (iss, aud, appid: templates/azure/alert-forwarding.json `triggerAccessControl`).
 *
 * The secret lives 180 days: Microsoft recommends client secrets expire in under 12 months
 * (https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials). `plan`/`setup` rotate it when it
 * expires within 30 days, and `setup --rotate-keys` always: a new secret is added, the connector is rewritten with it,
 * then the old ones are removed (retireOldSecrets, after the connector). Graph returns a secret once, so a connector
 * rewrite with no secret in memory gets a new one the same way (ensureClientSecret). The secret is registered with
 * the redactor when Graph returns it and is never printed or written anywhere but into Kibana.
 *
 * Switched to `alerts.webhookAuth: sas` explicitly, the app is deleted once the connector holds the callback URL
 * instead (azureRetireAlertApp), so no unused credential is left behind. Not on `auto` falling back to SAS: that can
 * be a run without Kibana or without Graph, where the connector may still sign in with the app.
 */
import { type AppRegistration, graphApplications } from "../../azure/graph-applications.js";
import type { Check, Step, StepContext } from "../../engine/types.js";
import { adoptReason, appIsOurs, conflictChange, ownershipOf } from "../../ownership/marker.js";
import { ownedObjectTeardown } from "../teardown-common.js";
import { rotateRequested } from "./access-keys.js";
import { factsOf, PREFLIGHT_ID } from "./facts.js";
import { WEBHOOK_OAUTH2 } from "../../kibana/connector-bodies.js";
import { webhookAuthOf } from "./webhook-auth.js";

export const ALERT_APP_ID = "azure-alert-app";
const DAY = 24 * 3600_000;
export const SECRET_LIFETIME_DAYS = 180;
export const ROTATE_WITHIN_DAYS = 30;

export interface AlertAppState {
  id?: string;
  appId?: string;
  tenantId: string;
  /** Why the secret is to be replaced in this run (plan), if it is. */
  rotate?: string;
  /** The rotation is only the secret's age (upkeep, not drift: see Change.upkeep). */
  upkeep?: boolean;
  /** The secret issued in this run (registered with the redactor). */
  secret?: string;
  /** Key ids of the secrets to remove once the connector holds the new one. */
  retire: string[];
}

declare module "../../engine/shared-state.js" {
  interface SharedState {
    alertApp?: AlertAppState;
  }
}

export const identifierUriOf = (appId: string) => `api://${appId}`;

/** The newest secret's expiry, if any. */
export function newestSecretEnd(app: AppRegistration): number | undefined {
  const ends = (app.passwordCredentials ?? [])
    .map((c) => Date.parse(c.endDateTime ?? ""))
    .filter((n) => !Number.isNaN(n));
  return ends.length ? Math.max(...ends) : undefined;
}

async function tenantOf(ctx: StepContext): Promise<string> {
  const t = factsOf(ctx).tenantId ?? ctx.config.azure.tenantId;
  if (t) return t;
  const me = await (await ctx.clients.azure()).whoAmI();
  return me.tenantId ?? "";
}

/** Our app registration by name: ours first, else a look-alike (or none). */
export async function findAlertApp(ctx: StepContext): Promise<AppRegistration | undefined> {
  const found = await graphApplications(await ctx.clients.azure()).findByName(ctx.names.azure.alertApp.displayName);
  return found.find((a) => appIsOurs(a, ctx.names.prefix)) ?? found[0];
}

/** Our secret is still valid but within the rotation window. */
function secretDueForRotation(ctx: StepContext, app: AppRegistration): boolean {
  const end = newestSecretEnd(app);
  return end !== undefined && end > ctx.now() && end - ctx.now() < ROTATE_WITHIN_DAYS * DAY;
}

function rotationReason(ctx: StepContext, app: AppRegistration): string | undefined {
  if (rotateRequested(ctx)) return "--rotate-keys: a new client secret, then the old one is removed";
  const end = newestSecretEnd(app);
  if (end === undefined) return "it has no client secret";
  if (end - ctx.now() < ROTATE_WITHIN_DAYS * DAY)
    return `its client secret expires ${new Date(end).toISOString().slice(0, 10)} (within ${ROTATE_WITHIN_DAYS} days): rotated`;
  return undefined;
}

/** Add a new secret (180 days) and mark the others for removal; the value stays in memory only. */
export async function issueClientSecret(ctx: StepContext): Promise<string> {
  const state = ctx.shared.alertApp;
  if (!state?.id) throw new Error("the alert connector's app registration is not known yet");
  const g = graphApplications(await ctx.clients.azure());
  const app = await g.get(state.id);
  const end = new Date(ctx.now() + SECRET_LIFETIME_DAYS * DAY);
  const secret = await g.addPassword(state.id, `${ctx.names.prefix} Kibana alert connector`, end);
  state.retire = (app?.passwordCredentials ?? []).map((c) => c.keyId).filter((k) => k !== secret.keyId);
  state.secret = secret.secretText;
  ctx.io.message(
    "success",
    `Added a client secret to ${ctx.names.azure.alertApp.displayName} (expires ${secret.endDateTime.slice(0, 10)}).`,
  );
  return secret.secretText;
}

/** The secret to write into the connector: the one issued in this run, else a new one. */
export async function ensureClientSecret(ctx: StepContext): Promise<string> {
  return ctx.shared.alertApp?.secret ?? issueClientSecret(ctx);
}

/** After the connector holds the new secret: remove the old ones, so a leaked old secret is dead. */
export async function retireOldSecrets(ctx: StepContext): Promise<void> {
  const state = ctx.shared.alertApp;
  if (!state?.id || !state.retire.length) return;
  const g = graphApplications(await ctx.clients.azure());
  for (const keyId of state.retire.splice(0)) await g.removePassword(state.id, keyId);
  ctx.io.message("success", `Removed the old client secret(s) of ${ctx.names.azure.alertApp.displayName}.`);
}

const base = (ctx: StepContext) => ({
  step: ALERT_APP_ID,
  target: "azure" as const,
  resource: "Entra ID app registration",
  name: ctx.names.azure.alertApp.displayName,
});

export const azureAlertApp: Step = {
  id: ALERT_APP_ID,
  title: "Entra ID app registration of the alert connector (OAuth2)",
  target: "azure",
  // The Kibana version is read by webhookAuthOf itself (an Azure-side run has no Kibana preflight).
  after: [PREFLIGHT_ID],
  enabled: (c) => c.features.alertForwarding && c.alerts.webhookAuth !== "sas",
  async plan(ctx) {
    if ((await webhookAuthOf(ctx)).mode !== "oauth2") return [];
    const app = await findAlertApp(ctx);
    const tenantId = await tenantOf(ctx);
    const owner = ownershipOf(Boolean(app), appIsOurs(app, ctx.names.prefix), ctx.shared, base(ctx).name);
    ctx.shared.alertApp = { id: app?.id, appId: app?.appId, tenantId, retire: [] };
    if (owner === "conflict") return [conflictChange(base(ctx), `app registration ${base(ctx).name}`)];
    if (owner === "absent")
      return [
        {
          ...base(ctx),
          action: "create",
          reason: `the alert connector signs in with it (OAuth2) instead of a callback URL signature; secret lifetime ${SECRET_LIFETIME_DAYS} days`,
        },
      ];
    const uriOk = app!.identifierUris?.includes(identifierUriOf(app!.appId));
    const rotate = owner === "adopt" ? "taken over: a new client secret" : rotationReason(ctx, app!);
    ctx.shared.alertApp.rotate = rotate;
    const upkeep = owner !== "adopt" && !rotateRequested(ctx) && secretDueForRotation(ctx, app!);
    ctx.shared.alertApp.upkeep = upkeep;
    if (owner === "adopt")
      return [
        {
          ...base(ctx),
          action: "update",
          destructive: true,
          reason: adoptReason(`app registration ${base(ctx).name}`),
        },
      ];
    if (!uriOk || rotate)
      return [
        {
          ...base(ctx),
          action: "update",
          reason: [uriOk ? "" : "identifier URI missing", rotate ?? ""].filter(Boolean).join("; "),
          ...(uriOk && upkeep ? { upkeep: true } : {}),
        },
      ];
    return [
      {
        ...base(ctx),
        action: "no-op",
        reason: `ours; client secret valid until ${new Date(newestSecretEnd(app!)!).toISOString().slice(0, 10)}`,
      },
    ];
  },
  async apply(ctx, changes) {
    const change = changes.find((c) => c.step === ALERT_APP_ID && c.action !== "no-op" && c.action !== "conflict");
    if (!change) return;
    const g = graphApplications(await ctx.clients.azure());
    const n = ctx.names.azure.alertApp;
    const state = ctx.shared.alertApp ?? { tenantId: await tenantOf(ctx), retire: [] };
    ctx.shared.alertApp = state;
    let app = state.id ? await g.get(state.id) : undefined;
    if (!app) {
      app = await g.create({ displayName: n.displayName, tags: n.tags, notes: n.notes });
      ctx.io.message("success", `Registered the application ${n.displayName} (client id ${app.appId}).`);
    }
    Object.assign(state, { id: app.id, appId: app.appId });
    const uri = identifierUriOf(app.appId);
    if (!app.identifierUris?.includes(uri) || !appIsOurs(app, ctx.names.prefix))
      await g.update(app.id, { identifierUris: [uri], tags: n.tags, notes: n.notes });
    await g.ensureServicePrincipal(app.appId);
    if (change.action === "create" || state.rotate) await issueClientSecret(ctx);
  },
  async verify(ctx): Promise<Check[]> {
    if ((await webhookAuthOf(ctx)).mode !== "oauth2") return [];
    const app = await findAlertApp(ctx);
    const title = `App registration ${ctx.names.azure.alertApp.displayName} (OAuth2 of the alert connector)`;
    const id = `${ALERT_APP_ID}.secret`;
    if (!app || !appIsOurs(app, ctx.names.prefix))
      return [
        {
          id,
          title,
          status: "fail",
          cause: app ? "it has our name but not our marker" : "not found",
          remedy: "Run `sentinel-elastic setup`.",
        },
      ];
    const end = newestSecretEnd(app);
    const left = end === undefined ? -1 : end - ctx.now();
    const date = end === undefined ? "none" : new Date(end).toISOString().slice(0, 10);
    if (left <= 0)
      return [
        {
          id,
          title,
          status: "fail",
          cause: `no valid client secret (newest expired: ${date})`,
          remedy: "Run `sentinel-elastic setup` (it adds a new secret).",
        },
      ];
    if (left < ROTATE_WITHIN_DAYS * DAY)
      return [
        {
          id,
          title,
          status: "warn",
          evidence: `client id ${app.appId}`,
          cause: `the client secret expires ${date}, within ${ROTATE_WITHIN_DAYS} days`,
          remedy: "Run `sentinel-elastic setup` (it rotates a secret that expires within 30 days).",
        },
      ];
    return [{ id, title, status: "pass", evidence: `client id ${app.appId}; client secret valid until ${date}` }];
  },
};

/** Teardown: after the alert connector that holds its secret; only when it carries our tags. */
export const alertAppTeardown: Step = {
  ...ownedObjectTeardown<AppRegistration>({
    id: "teardown-azure-alert-app",
    title: "Entra ID app registration of the alert connector",
    target: "azure",
    after: ["teardown-kibana-alert-connector"],
    resource: "Entra ID app registration",
    what: "our name",
    name: (ctx) => ctx.names.azure.alertApp.displayName,
    find: async (ctx) => ((await ctx.clients.azure()).graph ? findAlertApp(ctx) : undefined),
    isOurs: (ctx, app) => appIsOurs(app, ctx.names.prefix),
    marker: (ctx) => `tag ${ctx.names.azure.alertApp.tags[1]}`,
    remove: async (ctx) => {
      const app = await findAlertApp(ctx);
      if (app && appIsOurs(app, ctx.names.prefix)) await graphApplications(await ctx.clients.azure()).remove(app.id);
    },
  }),
  enabled: (c) => c.features.alertForwarding && Boolean(c.azure.subscriptionId),
};

export const RETIRE_ALERT_APP_ID = "azure-retire-alert-app";

/** The alert connector still signs in with OAuth2 (then the app must stay). */
async function connectorUsesOAuth2(ctx: StepContext): Promise<boolean> {
  const connector = await (await ctx.clients.kibana()).getConnector(ctx.names.kibana.alertConnectorId);
  return connector?.config?.authType === WEBHOOK_OAUTH2;
}

/** alerts.webhookAuth sas: our app registration is deleted after the connector is rewritten with the callback URL. */
export const azureRetireAlertApp: Step = {
  id: RETIRE_ALERT_APP_ID,
  title: "Entra ID app registration of the alert connector (deleted once the connector uses SAS)",
  target: "azure",
  after: ["kibana-alert-connector"],
  enabled: (c) => c.features.alertForwarding && c.alerts.webhookAuth === "sas" && Boolean(c.azure.subscriptionId),
  async plan(ctx) {
    // Only in a run whose Azure preflight has signed in (its facts are there): a Kibana-side run (the library's
    // kibanaSteps) must not start an Azure sign-in of its own.
    if (!ctx.shared.azureFacts || !(await ctx.clients.azure()).graph) return [];
    const app = await findAlertApp(ctx);
    if (!app || !appIsOurs(app, ctx.names.prefix)) return [];
    return [
      {
        ...base(ctx),
        step: RETIRE_ALERT_APP_ID,
        action: "delete",
        reason:
          "alerts.webhookAuth is sas: the alert connector no longer signs in with it; deleted once the connector holds the callback URL",
      },
    ];
  },
  async apply(ctx, changes) {
    if (!changes.some((c) => c.step === RETIRE_ALERT_APP_ID && c.action === "delete")) return;
    // Never while the connector still uses it: that would cut alert forwarding off.
    if (await connectorUsesOAuth2(ctx)) {
      ctx.io.message(
        "warn",
        `${ctx.names.azure.alertApp.displayName} kept: the alert connector still signs in with it. Run setup again.`,
      );
      return;
    }
    const app = await findAlertApp(ctx);
    if (!app || !appIsOurs(app, ctx.names.prefix)) return;
    await graphApplications(await ctx.clients.azure()).remove(app.id);
    ctx.io.message("success", `Deleted ${ctx.names.azure.alertApp.displayName}: the alert connector uses SAS now.`);
  },
};

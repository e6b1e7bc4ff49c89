/**
 * OAuth consent for the azuresentinel API connection (listConsentLinks / confirmConsentCode: azure-rest-api-specs specification/web/resource-manager/Microsoft.Web/stable/2016-06-01/logicAppsManagementClient.json): read the status, get a consent
 * link with listConsentLinks, show it with the portal path, poll until Connected; a pasted redirect URL's
 * `code` is confirmed with confirmConsentCode. Without a person at the terminal: exit 4 with the link.
 */
import { randomUUID } from "node:crypto";
import type { StepContext } from "../../engine/types.js";
import { AuthError } from "../../errors.js";
import { factsOf } from "./facts.js";

const POLL_MS = 5_000;
const POLLS_PER_ROUND = 24;
/** The redirect Microsoft's own consent script uses (logicappsio/LogicAppConnectionAuth). */
const REDIRECT_URL = "https://ema1.exp.azure.com/ema/default/authredirect";

export async function connectionStatus(ctx: StepContext, resourceGroup: string): Promise<string | undefined> {
  const az = await ctx.clients.azure();
  const conn = await az.arm.connection(resourceGroup, ctx.names.azure.connection);
  if (!conn) return undefined;
  const statuses = conn.properties.statuses ?? [];
  return statuses.some((s) => s.status === "Connected")
    ? "Connected"
    : (conn.properties.overallStatus ?? statuses[0]?.status ?? "Unknown");
}

export async function waitForConsent(ctx: StepContext): Promise<void> {
  const az = await ctx.clients.azure();
  const facts = factsOf(ctx);
  const rg = facts.logicAppsResourceGroup;
  const name = ctx.names.azure.connection;
  if ((await connectionStatus(ctx, rg)) === "Connected") {
    ctx.io.message("info", `The API connection ${name} is already authorised.`);
    return;
  }
  const me = await az.whoAmI();
  const objectId = me.objectId ?? randomUUID();
  const tenantId = facts.tenantId ?? me.tenantId ?? ctx.config.azure.tenantId ?? "common";
  const links = await az.arm.listConsentLinks(rg, name, { objectId, tenantId, redirectUrl: REDIRECT_URL });
  const link = links[0]?.link;
  const connectionId = `/subscriptions/${az.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Web/connections/${name}`;
  const portalPath = `${az.cloud.portal}/#@${tenantId}/resource${connectionId}/edit`;
  const instructions = [
    `The Sentinel API connection ${name} needs a one-time sign-in by a person with access to the workspace.`,
    link ? `Open this consent link and sign in: ${link}` : "No consent link was returned.",
    `Or in the portal: ${portalPath} → Authorize → Save.`,
  ];
  if (!ctx.io.interactive) {
    throw new AuthError(`the API connection ${name} is not authorised and this run cannot ask a person to do it`, {
      code: "SENTINEL_CONNECTION_NOT_AUTHORIZED",
      suggestion: `${instructions.join(" ")} Then run setup again. (Or use --sentinel-authorization managed-identity, which needs no consent.)`,
      details: { link, portal: portalPath },
    });
  }
  for (const line of instructions) ctx.io.message("info", line);
  const progress = ctx.io.progress(`Waiting for ${name} to be authorised…`);
  for (;;) {
    for (let i = 0; i < POLLS_PER_ROUND; i++) {
      if ((await connectionStatus(ctx, rg)) === "Connected") {
        progress.succeed(`The API connection ${name} is authorised.`);
        return;
      }
      await ctx.sleep(POLL_MS);
    }
    progress.update(`Still waiting for ${name} to be authorised…`);
    const answer = (
      await ctx.io.ask({
        kind: "text",
        code: "azure.consentRedirect",
        message:
          "Paste the address your browser ended on after signing in (it contains code=…), press Enter to keep waiting, or type q to stop",
        default: "",
      })
    ).trim();
    if (answer === "q") {
      progress.fail();
      throw new AuthError(`the API connection ${name} was not authorised`, {
        code: "SENTINEL_CONNECTION_NOT_AUTHORIZED",
        suggestion: `${instructions.slice(1).join(" ")} Then run setup again.`,
        details: { link, portal: portalPath },
      });
    }
    const code = /[?&#]code=([^&]+)/.exec(answer)?.[1];
    if (code) {
      // Microsoft's script ignores errors here ("appears to error due to a null response"); the status decides.
      await az.arm
        .confirmConsentCode(rg, name, { objectId, tenantId, code: decodeURIComponent(code) })
        .catch(() => undefined);
    }
  }
}

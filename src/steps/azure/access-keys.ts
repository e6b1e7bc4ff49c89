/**
 * The Logic Apps' access keys. A callback URL carries its signature (`sig`) in its query, and Kibana keeps
 * connector URLs in the connector's plain `config` (only `secrets` are encrypted and never returned), so anyone
 * who may read connectors in the space (Kibana feature privilege "Actions and Connectors: Read") can read the
 * URL and post into Sentinel. Secret headers (`secrets.secretHeaders`, Kibana 9.2+, elastic/kibana#230042) cannot
 * carry a query signature, and OAuth2 client credentials (9.2+, elastic/kibana#218442) exist only on `.webhook`,
 * not on `.cases-webhook`; so the signature stays readable, and the remedy is to rotate it:
 * - `setup --rotate-keys` regenerates each workflow's primary access key (Workflows_RegenerateAccessKey: every URL
 *   signed with the old key stops working), reads the new callback URLs and rewrites our connectors with them;
 * - `teardown` regenerates them first, so the URLs in Kibana are dead even if teardown stops before the end.
 */
import type { Change, Step, StepContext } from "../../engine/types.js";
import { AuthError } from "../../errors.js";
import { connectorIsOurs, tagsAreOurs } from "../../ownership/marker.js";
import { DEPLOY_ID } from "./deploy-plan.js";
import { factsOf } from "./facts.js";
import { webhookAuthOf } from "./webhook-auth.js";

export const ROTATE_KEYS_ID = "azure-rotate-keys";
export const TEARDOWN_ROTATE_KEYS_ID = "teardown-azure-rotate-keys";
declare module "../../engine/shared-state.js" {
  interface SharedState {
    /** Set by `setup --rotate-keys`. */
    rotateKeys?: boolean;
  }
}

export const rotateRequested = (ctx: Pick<StepContext, "shared">) => ctx.shared.rotateKeys === true;

/** Who can read the callback URLs, said in preflight, in the plan and in the README. */
export function callbackUrlExposure(space: string): string {
  return (
    `The case-sync Logic Apps' callback URLs, signature (sig) included, are kept in the case connector's config in Kibana space '${space}': ` +
    `anyone who may read connectors there (Kibana privilege "Actions and Connectors: Read") can read them and post into Sentinel. ` +
    "Kibana has no secret field a Logic App signature can go in; rotate the signatures with `sentinel-elastic setup --rotate-keys` " +
    "(teardown rotates them before it deletes anything)."
  );
}

function ourWorkflowNames(ctx: Pick<StepContext, "config" | "names">): string[] {
  const n = ctx.names.azure;
  return [n.caseSync, n.caseGet, n.alertIngest];
}

/** Our workflows (our name and our tags) that exist now. */
async function existingOurs(ctx: StepContext): Promise<string[]> {
  const az = await ctx.clients.azure();
  const rg = factsOf(ctx).logicAppsResourceGroup;
  const out: string[] = [];
  for (const name of ourWorkflowNames(ctx)) {
    const wf = await az.arm.workflow(rg, name);
    if (wf && tagsAreOurs(wf.tags, ctx.names.prefix)) out.push(name);
  }
  return out;
}

async function regenerate(ctx: StepContext, changes: Change[], stepId: string, bestEffort = false): Promise<void> {
  const az = await ctx.clients.azure();
  const rg = factsOf(ctx).logicAppsResourceGroup;
  for (const c of changes.filter((x) => x.step === stepId && x.action === "update")) {
    const progress = ctx.io.progress(`Regenerating the access key of ${c.name}`);
    try {
      await az.arm.regenerateAccessKey(rg, c.name, "Primary");
    } catch (e) {
      // Teardown deletes the workflow anyway: a principal without the regenerate action still tears down.
      if (!bestEffort || !(e instanceof AuthError)) throw e;
      progress.fail(
        `Could not regenerate the access key of ${c.name} (needs Microsoft.Logic/workflows/regenerateAccessKey/action); it is deleted below`,
      );
      continue;
    }
    progress.succeed(`Regenerated the access key of ${c.name}: its old callback URL no longer works`);
  }
}

const row = (stepId: string, name: string, reason: string): Change => ({
  step: stepId,
  target: "azure",
  resource: "Logic App access key",
  name,
  action: "update",
  reason,
});

/** `setup --rotate-keys`: before the callback URLs are read (and the connectors rewritten with them). */
export const azureRotateKeys: Step = {
  id: ROTATE_KEYS_ID,
  title: "Logic Apps access keys (--rotate-keys)",
  target: "azure",
  after: [DEPLOY_ID],
  enabled: (c) => c.features.caseSync || c.features.alertForwarding,
  async plan(ctx) {
    if (!rotateRequested(ctx) || !factsOf(ctx).logicAppsResourceGroupExists) return [];
    return (await existingOurs(ctx)).map((name) =>
      row(
        ROTATE_KEYS_ID,
        name,
        "regenerated (--rotate-keys): the old callback URL stops working; the connectors get the new one",
      ),
    );
  },
  apply: (ctx, changes) => regenerate(ctx, changes, ROTATE_KEYS_ID),
};

/** Teardown, first of all: the URLs Kibana still holds stop working before anything is deleted. */
export const azureTeardownRotateKeys: Step = {
  id: TEARDOWN_ROTATE_KEYS_ID,
  title: "Logic Apps access keys",
  target: "azure",
  // After verify's leftover test cases: their incidents are closed through the case connector's current URL.
  after: ["teardown-kibana-verify-cases"],
  enabled: (c) => Boolean(c.azure.subscriptionId && c.azure.resourceGroup && c.sentinel.workspaceName),
  async plan(ctx) {
    return (await existingOurs(ctx)).map((name) =>
      row(
        TEARDOWN_ROTATE_KEYS_ID,
        name,
        "regenerated first: the callback URL in Kibana stops working even if teardown stops before deleting the workflow",
      ),
    );
  },
  apply: (ctx, changes) => regenerate(ctx, changes, TEARDOWN_ROTATE_KEYS_ID, true),
};

export const RETIRE_ALERT_SIG_ID = "azure-retire-alert-sig";

const holdsSig = (connector: { config?: Record<string, unknown> } | undefined) =>
  typeof connector?.config?.url === "string" && /[?&]sig=/.test(connector.config.url);

/**
 * alerts.webhookAuth oauth2: once the alert connector no longer holds the callback URL's signature, the
 * alert-ingest workflow's primary key is regenerated, so the sig that was readable in Kibana stops working (an
 * authorization policy does not switch SAS off: "Secure access and data in Azure Logic Apps", "Enable OAuth with
 * Microsoft Entra ID").
 */
export const azureRetireAlertSig: Step = {
  id: RETIRE_ALERT_SIG_ID,
  title: "Alert-ingest access key (retired once the alert connector uses OAuth2)",
  target: "azure",
  after: ["kibana-alert-connector"],
  enabled: (c) => c.features.alertForwarding && c.alerts.webhookAuth !== "sas",
  async plan(ctx) {
    if ((await webhookAuthOf(ctx)).mode !== "oauth2") return [];
    const connector = await (await ctx.clients.kibana()).getConnector(ctx.names.kibana.alertConnectorId);
    if (!holdsSig(connector) || !connectorIsOurs(connector, ctx.names.prefix)) return [];
    return [
      row(
        RETIRE_ALERT_SIG_ID,
        ctx.names.azure.alertIngest,
        "regenerated once the alert connector signs in with OAuth2: the sig readable in Kibana stops working",
      ),
    ];
  },
  async apply(ctx, changes) {
    if (!changes.some((c) => c.step === RETIRE_ALERT_SIG_ID && c.action === "update")) return;
    const connector = await (await ctx.clients.kibana()).getConnector(ctx.names.kibana.alertConnectorId);
    // Never while the connector still uses the signature: that would cut alert forwarding off.
    if (holdsSig(connector)) return;
    await regenerate(ctx, changes, RETIRE_ALERT_SIG_ID);
  },
};

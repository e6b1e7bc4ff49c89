/**
 * How the alert connector authenticates to the alert-ingest Logic App (`alerts.webhookAuth`), decided once per run:
 * - oauth2: Kibana's `.webhook` gets a token for our Entra ID app registration (client credentials, Kibana 9.2+,
 *   elastic/kibana PR #218442) and the workflow's trigger takes it (authorization policy, templates/azure); the
 *   connector's URL carries no `sig`;
 * - sas: the callback URL with its `sig`, which anyone who may read connectors in the space can read;
 * - auto: oauth2 when Kibana is 9.2+ and the Azure sign-in may register applications (or our app registration is
 *   there already), else sas, said plainly as a warning.
 * Asked for explicitly, oauth2 on an older Kibana is a precondition error (exit 5) and without the directory
 * permission an authorization error (exit 4), each with what to do.
 */
import { graphApplications } from "../../azure/graph-applications.js";
import type { StepContext } from "../../engine/types.js";
import { AuthError, PreconditionError } from "../../errors.js";
import { supports } from "../../kibana/version.js";
import { appIsOurs } from "../../ownership/marker.js";
import { stackInfo } from "../kibana/stack.js";
import { whereToSet } from "./facts.js";

export interface WebhookAuth {
  mode: "oauth2" | "sas";
  /** Why, in a few words (plan rows, messages). */
  reason: string;
}

declare module "../../engine/shared-state.js" {
  interface SharedState {
    /** Decided by webhookAuthOf, once per run. */
    webhookAuth?: WebhookAuth;
  }
}

/** Who can read the alert connector's callback URL when it carries the sig. */
export function alertUrlExposure(space: string): string {
  return (
    `The alert connector then holds the alert-ingest callback URL with its signature (sig) in its config in Kibana space '${space}': ` +
    `anyone who may read connectors there (Kibana privilege "Actions and Connectors: Read") can read it and post into Sentinel; ` +
    "rotate it with `sentinel-elastic setup --rotate-keys`."
  );
}

export async function webhookAuthOf(ctx: StepContext): Promise<WebhookAuth> {
  if (ctx.shared.webhookAuth) return ctx.shared.webhookAuth;
  const decided = await decide(ctx);
  ctx.shared.webhookAuth = decided;
  if (decided.mode === "sas")
    ctx.io.message(
      "warn",
      `Alert forwarding signs its calls with the callback URL (SAS), not OAuth2: ${decided.reason}. ${alertUrlExposure(ctx.config.elastic.space)}`,
    );
  return decided;
}

async function decide(ctx: StepContext): Promise<WebhookAuth> {
  const wanted = ctx.config.alerts.webhookAuth;
  if (wanted === "sas") return { mode: "sas", reason: `${whereToSet("alerts.webhookAuth")} says sas` };
  const explicit = wanted === "oauth2";
  // An Azure-only run (no Kibana configured) writes no connector: nothing to sign in with.
  if (!explicit && !ctx.config.elastic.kibanaUrl)
    return { mode: "sas", reason: "Kibana is not configured in this run" };
  const { version } = await stackInfo(ctx);
  if (!supports(version, "webhookOAuth2")) {
    if (explicit)
      throw new PreconditionError(
        `alerts.webhookAuth is oauth2, but Kibana ${version} has no OAuth2 client credentials on the .webhook connector (9.2 and newer).`,
        {
          code: "KIBANA_OAUTH2_UNSUPPORTED",
          suggestion: `Upgrade Kibana to 9.2 or newer, or set ${whereToSet("alerts.webhookAuth")} to sas (or auto).`,
        },
      );
    return { mode: "sas", reason: `Kibana ${version} has no OAuth2 on .webhook (9.2 and newer)` };
  }
  const az = await ctx.clients.azure();
  let may: boolean | undefined;
  try {
    const g = graphApplications(az);
    const ours = (await g.findByName(ctx.names.azure.alertApp.displayName)).some((a) => appIsOurs(a, ctx.names.prefix));
    may = ours || (await g.mayRegisterApps());
  } catch (e) {
    if (explicit) throw e;
    ctx.io.message("debug", `Could not tell whether the sign-in may register applications: ${(e as Error).message}`);
    may = undefined;
  }
  if (may === true || (explicit && may === undefined))
    return { mode: "oauth2", reason: `Kibana ${version}; an Entra ID app registration signs the calls` };
  if (explicit)
    throw new AuthError(
      "alerts.webhookAuth is oauth2, but this Azure sign-in may not register applications in Microsoft Entra ID.",
      {
        code: "GRAPH_APP_REGISTRATION_DENIED",
        suggestion: `Run setup as a user who may (an Application Developer, or any member while "Users can register applications" is on), or set ${whereToSet("alerts.webhookAuth")} to sas.`,
      },
    );
  return {
    mode: "sas",
    reason:
      may === false
        ? "this Azure sign-in may not register applications in Microsoft Entra ID"
        : "Microsoft Graph did not say whether this Azure sign-in may register applications",
  };
}

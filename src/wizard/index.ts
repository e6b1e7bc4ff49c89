/**
 * The interactive setup wizard: the questions in a natural order, in sections with a header each
 * (`Elastic (1/4)`), every answer checked where it is given and asked again with the reason when it is wrong,
 * choices listed from what exists (spaces, subscriptions, resource groups, regions, Sentinel workspaces).
 * Only an interactive host gets here: the non-interactive host never lists or asks.
 *
 * Sections: elastic.ts, azure-signin.ts + azure.ts, sentinel.ts, features.ts. What is still missing after them
 * (rare inputs) is asked by the config loader's generic questions.
 */
import type { InputSource } from "../config/load.js";
import { signIn } from "./azure-signin.js";
import { chooseResourceGroup, chooseSubscription } from "./azure.js";
import { elasticSection } from "./elastic.js";
import { featuresSection } from "./features.js";
import { chooseWorkspace } from "./sentinel.js";
import { MAX_TRIES, WizardState, type WizardOptions } from "./state.js";

export type { WizardOptions } from "./state.js";

const azureNeeded = (s: WizardState) =>
  s.get("features.caseSync") !== false ||
  s.get("features.alertForwarding") !== false ||
  s.get("features.sentinelToElastic") === true;

export async function runWizard(
  values: Record<string, unknown>,
  sources: Record<string, InputSource>,
  options: WizardOptions,
): Promise<void> {
  const state = new WizardState(values, sources, options);
  const withAzure = azureNeeded(state);
  const total = withAzure ? 4 : 2;
  let n = 0;
  state.header("Elastic", ++n, total);
  await elasticSection(state);
  if (withAzure) {
    state.header("Azure", ++n, total);
    const session = await signIn(state);
    let sub = await chooseSubscription(state, session);
    await chooseResourceGroup(state, session.lists, sub);
    state.header("Sentinel", ++n, total);
    for (let attempt = 1; !(await chooseWorkspace(state, session, sub)); attempt++) {
      if (attempt >= MAX_TRIES) break;
      state.io.message("info", "Choose another subscription, or add Sentinel to a workspace and run setup again.");
      state.unset("azure.subscriptionId", "azure.resourceGroup", "azure.location");
      sub = await chooseSubscription(state, session);
      await chooseResourceGroup(state, session.lists, sub);
    }
  }
  state.header("Features", ++n, total);
  await featuresSection(state);
  options.io.message("info", "");
}

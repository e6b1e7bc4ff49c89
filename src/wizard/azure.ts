/**
 * Section 2, Azure: the sign-in (azure-signin.ts), the subscription (a list with names, the Azure CLI's current
 * one first) and the resource group for the Logic Apps (a list, or a new one in a region chosen from a list).
 */
import { execFile } from "node:child_process";
import { questionCode } from "../config/prompt.js";
import { findInput } from "../config/registry.js";
import type { Choice } from "../io/io-host.js";
import type { AzureLists, SubscriptionEntry } from "../azure/lists.js";
import { askInput } from "./ask.js";
import type { AzureSession } from "./azure-signin.js";
import { MAX_TRIES, type WizardState } from "./state.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NEW_GROUP = "(new)";

/** `az account show`: the subscription the Azure CLI is set to, if it is installed and signed in. */
export function azCurrentSubscription(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "az",
      ["account", "show", "--output", "json"],
      { env, timeout: 10_000, windowsHide: true },
      (error, stdout) => {
        if (error) return resolve(undefined);
        try {
          const id = (JSON.parse(stdout) as { id?: unknown }).id;
          resolve(typeof id === "string" && id ? id : undefined);
        } catch {
          resolve(undefined);
        }
      },
    );
  });
}

function subscriptionChoices(subs: SubscriptionEntry[], current: string | undefined): Choice[] {
  const sorted = [...subs].sort((a, b) =>
    a.subscriptionId === current ? -1 : b.subscriptionId === current ? 1 : a.displayName.localeCompare(b.displayName),
  );
  return sorted.map((s) => ({
    value: s.subscriptionId,
    name: `${s.displayName}${s.subscriptionId === current ? " (current in the Azure CLI)" : ""}`,
    description: s.subscriptionId,
  }));
}

export async function chooseSubscription(state: WizardState, session: AzureSession): Promise<string> {
  const { lists } = session;
  const given = state.str("azure.subscriptionId");
  if (given) {
    if (await lists.subscription(given)) return given;
    state.io.message("warn", `Subscription ${given} does not exist or ${session.kind} cannot see it.`);
    state.unset("azure.subscriptionId");
  }
  const subs = await state.listOr("the subscriptions", () => lists.subscriptions());
  const current = await (state.options.currentAzSubscription ?? (() => azCurrentSubscription(state.options.env)))();
  const byName = new Map(subs.map((s) => [s.displayName.toLowerCase(), s.subscriptionId]));
  for (let attempt = 1; ; attempt++) {
    const answer = await state.io.ask({
      kind: "search",
      code: questionCode(findInput("azure.subscriptionId")!),
      message: "Azure subscription",
      why: "The Logic Apps go into this subscription, and the Sentinel workspace is looked for in it.",
      choices: subscriptionChoices(subs, current),
      default: current && subs.some((s) => s.subscriptionId === current) ? current : subs[0]?.subscriptionId,
      validate: (v) =>
        GUID.test(v.trim()) || byName.has(v.trim().toLowerCase())
          ? true
          : "choose from the list, paste a subscription id (a GUID) or type a subscription's name",
    });
    const id = byName.get(answer.trim().toLowerCase()) ?? answer.trim();
    const found =
      subs.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase()) ?? (await lists.subscription(id));
    if (found) {
      state.set("azure.subscriptionId", found.subscriptionId);
      if (!state.str("azure.tenantId") && found.tenantId) state.set("azure.tenantId", found.tenantId);
      return found.subscriptionId;
    }
    const problem = `Subscription ${id} does not exist or ${session.kind} cannot see it.`;
    if (attempt >= MAX_TRIES) throw new Error(problem);
    state.io.message("warn", `${problem} Choose one of the list, or sign in with an account that has it.`);
  }
}

/** Resource group names (Microsoft.Resources rules): 1–90 letters, digits, `_-.()`, not ending in a period. */
function groupNameProblem(name: string): true | string {
  return /^[-\w._()]{1,90}$/.test(name) && !name.endsWith(".")
    ? true
    : "1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period";
}

async function chooseLocation(state: WizardState, lists: AzureLists, sub: string, fallback?: string): Promise<void> {
  const locations = await state.listOr("the Azure regions", () => lists.locations(sub));
  const names = new Map(
    locations.flatMap((l) => [
      [l.name, l.name],
      [l.displayName.toLowerCase(), l.name],
    ]),
  );
  const answer = await state.io.ask({
    kind: "search",
    code: questionCode(findInput("azure.location")!),
    message: "Azure region for the new resource group",
    why: "A new resource group needs a region; the Logic Apps and the data collection rule go there too.",
    choices: locations.map((l) => ({ value: l.name, name: l.displayName, description: l.name })),
    default: fallback && names.has(fallback) ? fallback : locations[0]?.name,
    validate: (v) =>
      names.has(v.trim().toLowerCase()) || (names.size === 0 && /^[a-z0-9]+$/.test(v.trim()))
        ? true
        : "choose a region of the list (type to filter)",
  });
  state.set("azure.location", names.get(answer.trim().toLowerCase()) ?? answer.trim());
}

export async function chooseResourceGroup(state: WizardState, lists: AzureLists, sub: string): Promise<void> {
  const groups = await state.listOr("the resource groups", () => lists.resourceGroups(sub));
  const given = state.str("azure.resourceGroup");
  if (given) {
    const existing = groups.find((g) => g.name.toLowerCase() === given.toLowerCase());
    if (existing) return;
    state.io.message("info", `Resource group ${given} does not exist yet: setup creates it.`);
    if (!state.str("azure.location")) await chooseLocation(state, lists, sub);
    return;
  }
  const answer = await state.io.ask({
    kind: "search",
    code: questionCode(findInput("azure.resourceGroup")!),
    message: "Resource group for the Logic Apps",
    why: "The Logic Apps, their connection and the data collection rule are created in it; teardown removes them from it.",
    choices: [
      { value: NEW_GROUP, name: "Create a new resource group", description: "name it and choose its region next" },
      ...groups.map((g) => ({ value: g.name, name: g.name, description: g.location })),
    ],
    validate: (v) => (v === NEW_GROUP ? true : groupNameProblem(v.trim())),
  });
  const existing = groups.find((g) => g.name.toLowerCase() === answer.trim().toLowerCase());
  if (existing) {
    state.set("azure.resourceGroup", existing.name);
    return;
  }
  if (answer !== NEW_GROUP) {
    // A typed name that does not exist: a new group of that name.
    state.set("azure.resourceGroup", answer.trim());
  } else {
    await askInput(state, "azure.resourceGroup", {
      code: "wizard.newResourceGroup",
      why: "Setup creates the group with this name (it asks before it changes anything).",
      message: "Name of the new resource group",
      default: "rg-sentinel-elastic",
      validate: (t) => {
        if (groups.some((g) => g.name.toLowerCase() === t.toLowerCase()))
          return `${t} exists already: choose it from the list instead`;
        return groupNameProblem(t);
      },
    });
  }
  await chooseLocation(state, lists, sub, groups[0]?.location);
}

/**
 * Section 3, Sentinel: the workspace, from the subscription's Log Analytics workspaces that have Microsoft
 * Sentinel, each shown with its resource group, so the workspace's resource group is never asked on its own.
 * Workspaces without Sentinel are not offered; the wizard says how many there are and how to add Sentinel.
 */
import { questionCode } from "../config/prompt.js";
import { findInput } from "../config/registry.js";
import { PreconditionError } from "../errors.js";
import type { SentinelWorkspaces, WorkspaceEntry } from "../azure/lists.js";
import { askInput } from "./ask.js";
import type { AzureSession } from "./azure-signin.js";
import type { WizardState } from "./state.js";

function pick(state: WizardState, ws: WorkspaceEntry): void {
  state.set("sentinel.workspaceName", ws.name);
  state.set("sentinel.resourceGroup", ws.resourceGroup);
}

function matching(list: WorkspaceEntry[], name: string, group?: string): WorkspaceEntry[] {
  return list.filter(
    (w) =>
      w.name.toLowerCase() === name.toLowerCase() && (!group || w.resourceGroup.toLowerCase() === group.toLowerCase()),
  );
}

function withoutHint(found: SentinelWorkspaces): string | undefined {
  if (!found.without.length) return undefined;
  const names = found.without.map((w) => `${w.name} (${w.resourceGroup})`).join(", ");
  return `Not offered, because Microsoft Sentinel is not added to them: ${names}. To use one, add Sentinel to it (portal: Microsoft Sentinel → Create → the workspace), then run setup again.`;
}

/** Returns false when the subscription has no workspace with Sentinel (the caller may offer another subscription). */
export async function chooseWorkspace(state: WizardState, session: AzureSession, sub: string): Promise<boolean> {
  const progress = state.io.progress("Looking for workspaces with Microsoft Sentinel");
  let found: SentinelWorkspaces;
  try {
    found = await session.lists.sentinelWorkspaces(sub);
  } catch (error) {
    // Listing may be denied where reading one workspace is not: ask for it by name (setup checks it).
    progress.fail("Could not list the workspaces");
    state.problem(error);
    if (!state.str("sentinel.workspaceName"))
      await askInput(state, "sentinel.workspaceName", { why: "Incidents are created in this workspace's Sentinel." });
    if (!state.str("sentinel.resourceGroup"))
      await askInput(state, "sentinel.resourceGroup", { why: "The workspace is looked up in this resource group." });
    return true;
  }
  progress.succeed(
    `${found.sentinel.length} workspace${found.sentinel.length === 1 ? "" : "s"} with Microsoft Sentinel in this subscription`,
  );
  const hint = withoutHint(found);
  for (const w of found.unreadable)
    state.io.message(
      "warn",
      `Could not tell whether ${w.name} (${w.resourceGroup}) has Microsoft Sentinel: ${w.reason}`,
    );
  const givenName = state.str("sentinel.workspaceName");
  if (givenName) {
    const hits = matching(found.sentinel, givenName, state.str("sentinel.resourceGroup"));
    if (hits.length === 1) {
      pick(state, hits[0]!);
      return true;
    }
    const plain = matching(found.without, givenName).length > 0;
    state.io.message(
      "warn",
      plain
        ? `Workspace ${givenName} does not have Microsoft Sentinel.`
        : hits.length > 1
          ? `More than one workspace is named ${givenName}: choose one.`
          : `No workspace named ${givenName} in this subscription.`,
    );
    state.unset("sentinel.workspaceName", "sentinel.resourceGroup");
  }
  if (found.sentinel.length === 0) {
    state.io.message("warn", `No workspace in this subscription has Microsoft Sentinel.${hint ? ` ${hint}` : ""}`);
    return false;
  }
  if (hint) state.io.message("info", hint);
  const key = (w: WorkspaceEntry) => `${w.resourceGroup}/${w.name}`;
  const answer = await state.io.ask({
    kind: "search",
    code: questionCode(findInput("sentinel.workspaceName")!),
    message: "Sentinel workspace",
    why: "Incidents are created in this workspace's Sentinel, and forwarded alerts land in its table.",
    choices: found.sentinel.map((w) => ({
      value: key(w),
      name: w.name,
      description: `resource group ${w.resourceGroup}, ${w.location}`,
    })),
    default: found.sentinel.length === 1 ? key(found.sentinel[0]!) : undefined,
    validate: (v) => {
      if (found.sentinel.some((w) => key(w) === v)) return true;
      const hits = matching(found.sentinel, v.trim());
      if (hits.length === 1) return true;
      if (hits.length > 1) return `more than one workspace is named ${v.trim()}: choose one of the list`;
      return matching(found.without, v.trim()).length
        ? `${v.trim()} does not have Microsoft Sentinel; choose a workspace of the list`
        : `no workspace with Microsoft Sentinel is named ${v.trim()}; choose one of the list`;
    },
  });
  const ws = found.sentinel.find((w) => key(w) === answer) ?? matching(found.sentinel, answer.trim())[0];
  if (!ws)
    throw new PreconditionError(`No workspace with Microsoft Sentinel named ${answer}`, {
      code: "AZURE_WORKSPACE_NOT_FOUND",
    });
  pick(state, ws);
  return true;
}

/**
 * Teardown of the Azure side: the analytics rule, the workflows, their role assignments, the data collection
 * rule and the API connection; the alerts table only with --delete-data (it holds the alert history); the
 * resource group only when setup created it (our tags) and --delete-resource-group is given; the deployment
 * records last, so an interrupted teardown can find what is left.
 */
import type { Change, Step } from "../../engine/types.js";
import { DEFENDER_APP_ROLES_TEARDOWN } from "./defender-case-sync/app-roles.js";
import { otherTableUsers } from "../../ownership/shared.js";
import { API, type Kind, type OwnedResource, takeInventory } from "./deploy-inventory.js";
import { roleAssignmentLabel, roleName } from "./object-names.js";

export interface AzureTeardownOptions {
  /** --delete-data: also the alerts table. */
  deleteData?: boolean;
  /** --delete-resource-group: also the resource group, when setup created it. */
  deleteResourceGroup?: boolean;
}

const ORDER: Kind[] = [
  "alertRule",
  "workflow",
  "roleAssignment",
  "dataCollectionRule",
  "connection",
  "table",
  "deployment",
];
const LABEL: Record<Kind, string> = {
  alertRule: "Sentinel analytics rule",
  workflow: "Logic App workflow",
  roleAssignment: "role assignment",
  dataCollectionRule: "data collection rule",
  connection: "API connection",
  table: "Log Analytics table",
  deployment: "deployment record",
};

interface LiveResource {
  kind?: string;
  identity?: { principalId?: string };
  properties?: { displayName?: string; roleDefinitionId?: string; principalId?: string; scope?: string };
}

/** Named as setup's plan names it (object-names.ts): role and holder, the rule's display name; never a GUID. */
function shownAs(
  r: OwnedResource,
  live: LiveResource,
  holders: Map<string, string>,
): { resource: string; name: string } {
  if (r.kind === "roleAssignment" && live.properties?.roleDefinitionId) {
    const scope =
      live.properties.scope ?? r.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/.*$/i, "");
    const holder = live.properties.principalId ? holders.get(live.properties.principalId) : undefined;
    return roleAssignmentLabel(roleName(live.properties.roleDefinitionId), holder, scope.split("/").at(-1)!);
  }
  if (r.kind === "alertRule" && live.properties?.displayName) {
    const kind = live.kind === "NRT" ? "NRT" : live.kind ? live.kind : "";
    return { resource: `${LABEL.alertRule}${kind ? ` (${kind})` : ""}`, name: live.properties.displayName };
  }
  return { resource: LABEL[r.kind], name: r.name };
}

type Payload = { url: string; apiVersion: string; kind: Kind | "resourceGroup" };

export const AZURE_TEARDOWN = "teardown-azure";

export const createAzureTeardown = (opts: AzureTeardownOptions = {}): Step<Payload> => ({
  id: AZURE_TEARDOWN,
  title: "Azure resources",
  target: "azure",
  after: [
    "teardown-kibana-rule",
    "teardown-kibana-alert-connector",
    "teardown-kibana-case-connector",
    "teardown-azure-rotate-keys",
    // The Graph app roles go before the workflows that hold them.
    DEFENDER_APP_ROLES_TEARDOWN,
  ],
  enabled: (c) => Boolean(c.azure.subscriptionId && c.azure.resourceGroup && c.sentinel.workspaceName),
  async plan(ctx) {
    const az = await ctx.clients.azure();
    const inv = await takeInventory(ctx.config, az);
    const url = (id: string) => (id.startsWith("http") ? id : `${az.arm.baseUrl}${id}`);
    const changes: Change<Payload>[] = [];
    const base = { step: this.id, target: "azure" as const };
    const read = (r: OwnedResource) => az.arm.getById<LiveResource>(url(r.id), r.apiVersion, "read");
    // Workflows sort before role assignments: their identities name the assignments' holders.
    const holders = new Map<string, string>();
    const all = [...inv.resources, ...inv.deployments].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    // A table we keep stays ours only while a deployment record of ours lists it (tables take no tags), so the
    // record that created it is kept with it: a later `teardown --delete-data` can still find and remove it.
    const keptTables = new Set<string>();
    const pathOf = (id: string) => id.replace(/^https?:\/\/[^/]+/, "").toLowerCase();
    /** Why the alerts table stays (it holds the history; or another instance still sends to it), if it does. */
    const whyKeepTable = async (r: OwnedResource): Promise<string | undefined> => {
      if (!opts.deleteData) return "kept: it holds the alert history (--delete-data removes it)";
      const wsId = r.id.replace(/^https?:\/\/[^/]+/, "").replace(/\/tables\/[^/]+$/i, "");
      const others = await otherTableUsers(az, wsId, r.name, ctx.names.prefix);
      if (!others.length) return undefined;
      const many = others.length > 1;
      return `kept despite --delete-data: instance${many ? "s" : ""} ${others.join(", ")} still send${many ? "" : "s"} alerts to it (shared table)`;
    };
    for (const r of all) {
      const live = await read(r);
      if (!live) continue;
      if (r.kind === "workflow" && live.identity?.principalId) holders.set(live.identity.principalId, r.name);
      if (r.kind === "deployment" && r.created?.some((id) => keptTables.has(pathOf(id)))) {
        changes.push({
          ...base,
          resource: LABEL.deployment,
          name: r.name,
          action: "no-op",
          reason: "kept: it records the kept alerts table, so teardown --delete-data can find it later",
        });
        continue;
      }
      const payload: Payload = { url: url(r.id), apiVersion: r.apiVersion, kind: r.kind };
      if (r.kind === "table") {
        const kept = await whyKeepTable(r);
        if (kept) {
          keptTables.add(pathOf(r.id));
          changes.push({ ...base, resource: LABEL.table, name: r.name, action: "no-op", reason: kept });
          continue;
        }
      }
      changes.push({
        ...base,
        ...shownAs(r, live, holders),
        action: "delete",
        reason: r.evidence,
        destructive: true,
        payload,
      });
    }
    for (const id of inv.foreign)
      changes.push({
        ...base,
        resource: "not ours",
        name: id.split("/").at(-1)!,
        action: "no-op",
        reason: "has our name but not our tags: left alone",
      });
    if (inv.resourceGroup) {
      changes.push(
        opts.deleteResourceGroup
          ? {
              ...base,
              resource: "resource group",
              name: inv.resourceGroup.name,
              action: "delete",
              reason: "created by setup (our tags) and --delete-resource-group given",
              destructive: true,
              payload: {
                url: url(inv.resourceGroup.id),
                apiVersion: API.resourceGroups,
                kind: "resourceGroup",
              } satisfies Payload,
            }
          : {
              ...base,
              resource: "resource group",
              name: inv.resourceGroup.name,
              action: "no-op",
              reason: "kept (--delete-resource-group removes it)",
            },
      );
    }
    return changes;
  },
  async apply(ctx, changes) {
    const az = await ctx.clients.azure();
    const mine = changes.filter((c) => c.step === this.id && c.action === "delete");
    for (const c of mine) {
      const p = c.payload!;
      const progress = ctx.io.progress(`Deleting ${c.resource} ${c.name}`);
      try {
        await az.arm.deleteById(p.url, p.apiVersion, `delete ${c.resource} ${c.name}`);
        progress.succeed(
          `Deleted ${c.resource} ${c.name}${p.kind === "resourceGroup" || p.kind === "table" ? " (Azure finishes this in the background)" : ""}`,
        );
      } catch (error) {
        progress.fail(`Could not delete ${c.resource} ${c.name}`);
        throw error;
      }
    }
  },
  async verify(ctx) {
    const left = (await this.plan(ctx)).filter(
      (c) => c.action === "delete" && c.payload && c.payload.kind !== "resourceGroup",
    );
    return [
      {
        id: "teardown.azure",
        title: "Azure resources of ours removed",
        status: left.length === 0 ? "pass" : "fail",
        evidence: left.length === 0 ? "nothing of ours left" : left.map((c) => `${c.resource} ${c.name}`).join(", "),
        remedy: left.length === 0 ? undefined : "Run `sentinel-elastic teardown` again.",
      },
    ];
  },
});

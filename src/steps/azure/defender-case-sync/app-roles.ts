/**
 * Defender mode: the Microsoft Graph application roles of the case-sync workflows' managed identities.
 * case-sync changes incidents (PATCH, comments): SecurityIncident.ReadWrite.All; case-get reads them:
 * SecurityIncident.Read.All (https://learn.microsoft.com/graph/api/security-incident-update,
 * …/security-incident-get). They are granted as app-role assignments on Microsoft Graph's service principal
 * (`POST /servicePrincipals/{graph}/appRoleAssignedTo`, https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto),
 * which needs a directory role such as Privileged Role Administrator; without one, exit 4 with what to ask for.
 * Teardown removes exactly these: assignments held by our workflows' identities (ownership: the workflows are ours).
 */
import type { AzureClients } from "../../../azure/client.js";
import { graphAppRoles, MICROSOFT_GRAPH_APP_ID } from "../../../azure/graph-app-roles.js";
import type { Change, Check, Step, StepContext } from "../../../engine/types.js";
import { AuthError, PreconditionError, RemoteError } from "../../../errors.js";
import { INSTANCE_TAG, MANAGED_BY } from "../../../names.js";
import { DEPLOY_ID } from "../deploy-plan.js";
import { factsOf } from "../facts.js";

export const DEFENDER_APP_ROLES_ID = "azure-defender-app-roles";
export { MICROSOFT_GRAPH_APP_ID };
/** Microsoft Graph app role ids (https://learn.microsoft.com/graph/permissions-reference). */
export const GRAPH_ROLES = {
  "SecurityIncident.Read.All": "45cc0394-e837-488b-a098-1918f48d186c",
  "SecurityIncident.ReadWrite.All": "34bf0e97-1971-4929-b999-9e2442d941d7",
} as const;

interface Wanted {
  workflow: string;
  role: keyof typeof GRAPH_ROLES;
}

const wanted = (ctx: Pick<StepContext, "names">): Wanted[] => [
  { workflow: ctx.names.azure.caseSync, role: "SecurityIncident.ReadWrite.All" },
  { workflow: ctx.names.azure.caseGet, role: "SecurityIncident.Read.All" },
];

export const graphServicePrincipalId = (az: AzureClients) => graphAppRoles(az).graphServicePrincipalId();

/** Graph app-role assignments held by a principal. */
export const assignmentsOf = (az: AzureClients, principalId: string) => graphAppRoles(az).assignmentsOf(principalId);

async function principalOf(ctx: StepContext, az: AzureClients, workflow: string): Promise<string | undefined> {
  const facts = factsOf(ctx);
  const wf = await az.arm.workflow(facts.logicAppsResourceGroup, workflow);
  return wf?.identity?.principalId;
}

/** Directory roles that may grant Microsoft Graph app roles (role template ids, Entra built-in roles reference). */
const GRANTERS: Record<string, string> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
};

/**
 * Before any change: can this sign-in grant the roles? A user's active directory roles say it (`GET
 * /me/memberOf/microsoft.graph.directoryRole`); when that cannot be read (a service principal, no permission) the
 * grant itself answers at apply time.
 */
async function canGrant(ctx: StepContext, az: AzureClients): Promise<boolean | undefined> {
  const g = graphAppRoles(az);
  try {
    const roles = await g.myDirectoryRoles();
    if (!roles) return undefined;
    return roles.some(
      (r) => (r.roleTemplateId && GRANTERS[r.roleTemplateId]) || Object.values(GRANTERS).includes(r.displayName ?? ""),
    );
  } catch (e) {
    ctx.io.message("debug", `Could not read the sign-in's directory roles: ${(e as Error).message}`);
    return undefined;
  }
}

const defenderMode = (ctx: StepContext) => ctx.config.features.caseSync && factsOf(ctx).portal === "defender";

export const azureDefenderAppRoles: Step<Wanted> = {
  id: DEFENDER_APP_ROLES_ID,
  title: "Microsoft Graph app roles of the case-sync Logic Apps (Defender portal)",
  target: "azure",
  after: [DEPLOY_ID],
  enabled: (c) => c.features.caseSync && c.sentinel.portal !== "azure",
  async plan(ctx) {
    if (!defenderMode(ctx)) return [];
    const az = await ctx.clients.azure();
    const graphSp = await graphServicePrincipalId(az);
    const changes: Change<Wanted>[] = [];
    for (const w of wanted(ctx)) {
      const principal = factsOf(ctx).logicAppsResourceGroupExists ? await principalOf(ctx, az, w.workflow) : undefined;
      const held =
        principal !== undefined &&
        (await assignmentsOf(az, principal)).some(
          (a) => a.resourceId === graphSp && a.appRoleId === GRAPH_ROLES[w.role],
        );
      changes.push({
        step: DEFENDER_APP_ROLES_ID,
        target: "azure",
        resource: `Graph app role (${w.role})`,
        name: `for ${w.workflow}`,
        action: held ? "no-op" : "create",
        reason: held
          ? "assigned"
          : "the workflow finds and changes its case's Defender incident through Microsoft Graph",
        payload: w,
      });
    }
    if (changes.some((c) => c.action === "create") && (await canGrant(ctx, az)) === false)
      throw new AuthError(
        "this sign-in may not grant Microsoft Graph app roles, which case sync in Defender mode needs",
        {
          code: "GRAPH_APP_ROLE_DENIED",
          suggestion:
            "Run setup as a Privileged Role Administrator (activate the role first if it is eligible in PIM), or set --sentinel-portal azure to keep the Azure-portal case sync.",
        },
      );
    return changes;
  },
  async apply(ctx, changes) {
    const az = await ctx.clients.azure();
    const g = graphAppRoles(az);
    const graphSp = await g.graphServicePrincipalId();
    for (const c of changes) {
      const w = c.payload!;
      const principal = await principalOf(ctx, az, w.workflow);
      if (!principal)
        throw new PreconditionError(`workflow ${w.workflow} has no managed identity yet`, {
          code: "AZURE_WORKFLOW_IDENTITY_MISSING",
          suggestion: "Run setup again.",
        });
      try {
        await g.grant(graphSp, principal, GRAPH_ROLES[w.role], `granting ${w.role} to ${w.workflow}`);
      } catch (e) {
        if (e instanceof RemoteError && e.status === 403)
          throw new AuthError(
            `this sign-in may not grant Microsoft Graph app roles (granting ${w.role} to ${w.workflow})`,
            {
              code: "GRAPH_APP_ROLE_DENIED",
              suggestion:
                `Ask a Privileged Role Administrator to grant it: POST ${g.base}/servicePrincipals/${graphSp}/appRoleAssignedTo ` +
                `with {"principalId":"${principal}","resourceId":"${graphSp}","appRoleId":"${GRAPH_ROLES[w.role]}"}, then run setup again.`,
            },
          );
        throw e;
      }
      ctx.io.message("success", `Granted ${w.role} (Microsoft Graph) to ${w.workflow}.`);
    }
  },
  async verify(ctx): Promise<Check[]> {
    if (!defenderMode(ctx)) return [];
    const az = await ctx.clients.azure();
    const graphSp = await graphServicePrincipalId(az);
    const checks: Check[] = [];
    for (const w of wanted(ctx)) {
      const principal = await principalOf(ctx, az, w.workflow);
      const held =
        !!principal &&
        (await assignmentsOf(az, principal)).some(
          (a) => a.resourceId === graphSp && a.appRoleId === GRAPH_ROLES[w.role],
        );
      checks.push({
        id: `azure.graphAppRole.${w.workflow}`,
        title: `${w.workflow} holds ${w.role} (Microsoft Graph)`,
        status: held ? "pass" : "fail",
        evidence: principal ?? "no identity",
        ...(held ? {} : { remedy: "Run setup again with a Privileged Role Administrator sign-in." }),
      });
    }
    return checks;
  },
};

export const DEFENDER_APP_ROLES_TEARDOWN = "teardown-azure-defender-app-roles";

/**
 * Teardown: the Graph app roles held by our case-sync workflows' identities (ours: the workflows carry our tags),
 * removed before the workflows go, so nothing is left to an identity Entra may keep for a while. Only the
 * SecurityIncident roles setup grants; any other role an administrator gave the identity is left alone.
 */
/** One Graph app-role assignment to remove: Graph's service principal (the resource) and the assignment id. */
interface GrantedRole {
  graphSp: string;
  id: string;
}

export const azureDefenderAppRolesTeardown: Step<GrantedRole> = {
  id: DEFENDER_APP_ROLES_TEARDOWN,
  title: "Microsoft Graph app roles of the case-sync Logic Apps",
  target: "azure",
  after: ["teardown-kibana-case-connector"],
  enabled: (c) =>
    Boolean(c.features.caseSync && c.sentinel.portal !== "azure" && c.azure.subscriptionId && c.azure.resourceGroup),
  async plan(ctx) {
    const az = await ctx.clients.azure();
    if (!az.graph || !az.cloud.graph) return [];
    // An Azure-portal instance (no app roles granted) need not be able to read Graph: nothing to remove then.
    const graphSp = await graphServicePrincipalId(az).catch((e: Error) => {
      ctx.io.message("debug", `Not looking for Graph app roles: ${e.message}`);
      return undefined;
    });
    if (!graphSp) return [];
    const ours = new Set<string>(Object.values(GRAPH_ROLES));
    const changes: Change<GrantedRole>[] = [];
    for (const w of wanted(ctx)) {
      const wf = await az.arm.workflow(ctx.config.azure.resourceGroup!, w.workflow);
      const tags = wf?.tags ?? {};
      const principal = wf?.identity?.principalId;
      if (!principal || tags["managed-by"] !== MANAGED_BY || tags[INSTANCE_TAG] !== ctx.names.prefix) continue;
      for (const a of await assignmentsOf(az, principal)) {
        if (a.resourceId !== graphSp || !ours.has(a.appRoleId)) continue;
        const role = Object.entries(GRAPH_ROLES).find(([, id]) => id === a.appRoleId)![0];
        changes.push({
          step: DEFENDER_APP_ROLES_TEARDOWN,
          target: "azure",
          resource: `Graph app role (${role})`,
          name: `for ${w.workflow}`,
          action: "delete",
          reason: "granted by setup to our workflow's identity",
          payload: { graphSp, id: a.id },
        });
      }
    }
    return changes;
  },
  async apply(ctx, changes) {
    const az = await ctx.clients.azure();
    const g = graphAppRoles(az);
    for (const c of changes) {
      const { graphSp, id } = c.payload!;
      await g.revoke(graphSp, id, `removing ${c.resource} ${c.name}`);
    }
  },
};

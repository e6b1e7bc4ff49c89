/**
 * Deploy: plan with ARM what-if (create / update / no-op per resource), apply with a deployment per unit
 * (case sync, alert forwarding) that has changes, showing progress; a failed deployment lists the failing
 * resources with Azure's nested messages. Nothing is deployed when the plan has no changes.
 */
import { startWait } from "../../io/wait-progress.js";
import { apiVersions } from "../../azure/arm.js";
import type { AzureClients } from "../../azure/client.js";
import type { DeploymentInput } from "../../azure/deployments.js";
import { parseAuthorizationFailed, roleFor } from "../../azure/errors.js";
import { type AlertTriggerAuth, type DeploymentUnit, deploymentUnits, loadTemplate } from "../../azure/templates.js";
import type { Change, Check, Step, StepContext } from "../../engine/types.js";
import { AuthError } from "../../errors.js";
import { factsOf, PREFLIGHT_ID } from "./facts.js";
import { changesForNewResourceGroup, changesFromWhatIf, DEPLOY_ID, type DeployPayload } from "./deploy-plan.js";
import { type AdoptPayload, azureOwnershipRows } from "./ownership.js";
import { permissionError } from "./preflight.js";
import { ALERT_APP_ID } from "./alert-app.js";
import { webhookAuthOf } from "./webhook-auth.js";

async function deploymentInputs(
  ctx: StepContext,
  az: AzureClients,
): Promise<{ unit: DeploymentUnit; input: DeploymentInput }[]> {
  const facts = factsOf(ctx);
  const units = deploymentUnits(ctx.config, facts, az.cloud.monitorAudience, az.cloud, await alertTriggerAuth(ctx));
  return Promise.all(
    units.map(async (unit) => ({
      unit,
      input: {
        resourceGroup: facts.logicAppsResourceGroup,
        name: unit.deploymentName,
        template: await loadTemplate(unit.templateName),
        parameters: unit.parameters,
      },
    })),
  );
}

/** Before the app registration exists (a first plan), what-if sees a placeholder client id. */
const PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000";

async function alertTriggerAuth(ctx: StepContext): Promise<AlertTriggerAuth | undefined> {
  if (!ctx.config.features.alertForwarding || (await webhookAuthOf(ctx)).mode !== "oauth2") return undefined;
  const app = ctx.shared.alertApp;
  return { tenantId: app?.tenantId ?? factsOf(ctx).tenantId ?? "", appId: app?.appId ?? PLACEHOLDER_APP_ID };
}

/** ARM's own preflight refused for lack of permission: same message as our preflight, naming the role. */
function asPermissionError(ctx: StepContext, e: unknown): unknown {
  if (!(e instanceof AuthError) || e.code !== "AZURE_FORBIDDEN") return e;
  const { action, scope } = parseAuthorizationFailed(e.message);
  if (!action) return e;
  return permissionError(ctx, [{ action, scope: scope ?? "the target scope", role: roleFor(action) }]);
}

async function deleteStaleAssignment(ctx: StepContext, az: AzureClients, id: string): Promise<void> {
  const progress = ctx.io.progress(`Deleting the stale role assignment ${id.split("/").pop()}`);
  await az.arm.deleteById(id, apiVersions.authorization, "deleting a stale role assignment", [200, 204, 404]);
  progress.succeed(`Deleted the stale role assignment ${id.split("/").pop()} (created again for the new identity)`);
}

/** A row's deployment unit (and stale assignment), or an adopted object's mark. */
type Payload = DeployPayload | AdoptPayload;
const deployPayload = (p: Payload | undefined): DeployPayload | undefined => (p && "unit" in p ? p : undefined);

export const azureDeploy: Step<Payload> = {
  id: DEPLOY_ID,
  title: "Azure resources (ARM deployment)",
  target: "azure",
  // The alert-ingest trigger's policy names the app registration's client id.
  after: [PREFLIGHT_ID, ALERT_APP_ID],
  enabled: (c) => c.features.caseSync || c.features.alertForwarding,
  async plan(ctx) {
    const az = await ctx.clients.azure();
    const facts = factsOf(ctx);
    const changes: Change<Payload>[] = [];
    // Our names without our tags: someone else's (a conflict), or taken over with --adopt (src/ownership). With a
    // conflict, setup stops after the plan: what-if (which would read someone else's resources) is not run.
    const owned = facts.logicAppsResourceGroupExists
      ? await azureOwnershipRows(ctx, az, facts.logicAppsResourceGroup)
      : [];
    if (owned.some((c) => c.action === "conflict")) return owned;
    for (const { unit, input } of await deploymentInputs(ctx, az)) {
      if (!facts.logicAppsResourceGroupExists) {
        changes.push(...changesForNewResourceGroup(unit, ctx.names, facts.ruleKind));
        continue;
      }
      try {
        await az.deployments.validate(input);
        changes.push(...changesFromWhatIf(unit, await az.deployments.whatIf(input, (ms) => ctx.sleep(ms)), ctx.names));
      } catch (e) {
        throw asPermissionError(ctx, e);
      }
    }
    if (!owned.length) return changes;
    const byName = new Map(owned.map((c) => [c.name.toLowerCase(), c]));
    return changes
      .map((c) => {
        const o = byName.get(c.name.toLowerCase());
        if (!o || o.resource !== c.resource) return c;
        byName.delete(c.name.toLowerCase());
        return o.action === "conflict" ? o : { ...o, diff: c.diff, payload: c.payload };
      })
      .concat([...byName.values()]);
  },
  async apply(ctx, changes) {
    const az = await ctx.clients.azure();
    const pending = new Set(changes.filter((c) => c.action !== "no-op").map((c) => deployPayload(c.payload)?.unit));
    const stale = changes.filter((c) => c.action === "replace").flatMap((c) => deployPayload(c.payload) ?? []);
    for (const { unit, input } of await deploymentInputs(ctx, az)) {
      if (!pending.has(unit.id)) continue;
      // A role assignment cannot be pointed at a new identity: delete the stale one (ours), the deployment
      // creates it again for the recreated Logic App's identity.
      for (const p of stale.filter((x) => x.unit === unit.id && x.replace))
        await deleteStaleAssignment(ctx, az, p.replace!);
      const progress = ctx.io.progress(`Deploying ${input.name} to ${input.resourceGroup}…`);
      // Each poll says how far Resource Manager got; the wait line adds how long so far.
      const target = `deployment ${input.name} in ${input.resourceGroup}`;
      const spec = { what: target };
      const wait = startWait({ io: ctx.io, now: ctx.now }, spec, progress);
      try {
        await az.deployments.deploy(input, {
          onProgress: (line) => {
            spec.what = `${target} (${line})`;
            wait.tick();
          },
          wait: (ms) => ctx.sleep(ms),
        });
        progress.succeed(`Deployed ${input.name}.`);
      } catch (e) {
        progress.fail(`Deployment ${input.name} failed.`);
        throw asPermissionError(ctx, e);
      }
    }
  },
  async verify(ctx): Promise<Check[]> {
    const az = await ctx.clients.azure();
    const facts = factsOf(ctx);
    const n = ctx.names.azure;
    const checks: Check[] = [];
    const workflows = [
      ...(ctx.config.features.caseSync ? [n.caseSync, n.caseGet] : []),
      ...(ctx.config.features.alertForwarding ? [n.alertIngest] : []),
    ];
    for (const name of workflows) {
      const wf = await az.arm.workflow(facts.logicAppsResourceGroup, name);
      const ok = wf?.properties.state === "Enabled";
      checks.push({
        id: `azure.workflow.${name}`,
        title: `Logic App ${name} deployed and enabled`,
        status: ok ? "pass" : "fail",
        evidence: wf ? `${wf.id} (${wf.properties.state})` : "not found",
        ...(ok ? {} : { remedy: "Run setup again." }),
      });
    }
    if (ctx.config.features.alertForwarding) {
      const dcr = await az.arm.dataCollectionRule(facts.logicAppsResourceGroup, n.dataCollectionRule);
      const endpoint = dcr?.properties.endpoints?.logsIngestion;
      checks.push({
        id: "azure.dcr",
        title: "Data collection rule with a logs ingestion endpoint",
        status: dcr && endpoint ? "pass" : "fail",
        evidence: dcr ? `${dcr.properties.immutableId} → ${endpoint ?? "no endpoint"}` : "not found",
      });
      const table = await az.arm.table(facts.workspaceResourceGroup, facts.workspaceName, ctx.config.alerts.table);
      checks.push({
        id: "azure.table",
        title: `Table ${ctx.config.alerts.table} (DCR-based)`,
        status: table && table.properties.schema?.tableSubType !== "Classic" ? "pass" : "fail",
        evidence: table
          ? `${table.properties.schema?.tableSubType ?? "?"}, plan ${table.properties.plan ?? "?"}`
          : "not found",
      });
    }
    return checks;
  },
};

/**
 * The case path in Defender mode, by the evidence an analyst has: a test case in Kibana → pushed → the case's
 * alert raised by our analytics rule (SecurityAlert, carrying the case id) → the incident it belongs to now, which
 * Defender owns (SecurityIncident: provider "Microsoft XDR", the Defender incident id; the link is the Defender
 * portal's) → a comment and "in progress" accepted by Microsoft Graph (the push succeeds only when the workflow's
 * Graph call did) → closed: the Defender incident is resolved and Sentinel shows it Closed.
 *
 * Timing: the rule runs once a minute over what was ingested (Logs Ingestion: 20 s–3 min), and Defender sends
 * changes to Sentinel batched over 5-10 minutes (https://learn.microsoft.com/azure/sentinel/automation/automation-in-defender).
 */
import { resolveCloud } from "../azure/cloud.js";
import { defenderIncidentUrl } from "../kibana/sentinel-portal.js";
import { kqlString } from "./alert-path.js";
import { mappedSeverity, type PathContext, VERIFY_TAG } from "./case-path.js";
import { HopFailure } from "./hop.js";
import { waitFor } from "./wait.js";

const RAISE_USUAL = "1–5 min (ingestion, then the rule's next run)";
const SYNC_USUAL = "up to 10 min (Defender sends changes to Sentinel in batches)";

export interface DefenderIncidentRow {
  id: string;
  title: string;
  severity: string;
  status: string;
  createdTime?: string;
}

const fix = (p: PathContext) =>
  `Check the case-sync Logic App's run history (${p.names.azure.caseSync}) and the analytics rule "${p.names.azure.defender.ruleDisplayName}", then re-run \`sentinel-elastic setup\`.`;

/**
 * The Defender incident an alert belongs to now (the alert found by a value its custom details carry: the case id,
 * the Elastic alert id), as SecurityAlert and SecurityIncident show it: grouping and merges included.
 */
export async function defenderIncidentOfCase(
  p: Pick<PathContext, "probes">,
  detail: string,
): Promise<DefenderIncidentRow | undefined> {
  const [alert] = await p.probes.queryRows(
    `SecurityAlert | where ExtendedProperties contains ${kqlString(detail)} | order by TimeGenerated asc | take 1 | project SystemAlertId`,
  );
  const alertId = alert?.SystemAlertId;
  if (typeof alertId !== "string" || !alertId) return undefined;
  const [row] = await p.probes.queryRows(
    "SecurityIncident | where ProviderName == 'Microsoft XDR' | summarize arg_max(TimeGenerated, *) by IncidentName" +
      ` | where tostring(AlertIds) contains ${kqlString(alertId)} | order by LastModifiedTime desc | take 1` +
      " | project ProviderIncidentId, Title, Severity, Status, CreatedTime",
  );
  if (!row?.ProviderIncidentId) return undefined;
  return {
    id: String(row.ProviderIncidentId),
    title: String(row.Title ?? ""),
    severity: String(row.Severity ?? ""),
    status: String(row.Status ?? ""),
    createdTime: row.CreatedTime ? String(row.CreatedTime) : undefined,
  };
}

/** A Defender incident link when the portal and tenant are known. */
export function defenderLink(p: Pick<PathContext, "config" | "defender">, id: string): string {
  const portal = resolveCloud(p.config.azure).defenderPortal;
  const tenantId = p.defender?.tenantId;
  return portal && tenantId ? defenderIncidentUrl(portal, id, tenantId) : `Defender incident ${id}`;
}

export async function runCasePathDefender(p: PathContext): Promise<void> {
  const { probes, runner, config, marker } = p;
  const title = `sentinel-elastic verify ${marker}`;
  const severity = "high";
  const tags = [VERIFY_TAG];
  const description = `Test case created by \`sentinel-elastic verify\` (${marker}). Safe to delete.`;
  const link = (id: string) => defenderLink(p, id);

  const waitIncident = async (
    caseId: string,
    accept: (i: DefenderIncidentRow) => boolean,
    what: string,
    usual: string,
  ) => {
    let seen: DefenderIncidentRow | undefined;
    const r = await waitFor(
      async () => {
        seen = await defenderIncidentOfCase(p, caseId);
        return seen && accept(seen) ? seen : undefined;
      },
      p.clock,
      { deadline: p.deadline, show: { what, usual } },
    );
    if (r.ok) return r.value;
    throw new HopFailure(
      seen
        ? `Defender incident ${seen.id} of the case is ${seen.status} (title "${seen.title}", severity ${seen.severity})`
        : "no incident in the Defender queue holds the case's alert (SecurityAlert → SecurityIncident with provider Microsoft XDR)",
      fix(p),
    );
  };

  const caseId = await runner.hop("case.create", "Kibana: create a test case", async () => {
    const c = await probes.createCase({ title, description, tags, severity });
    return { evidence: `case ${c.id}`, value: c.id };
  });
  if (!caseId) return;
  let closedByPush = false;
  const push = async () => {
    if (closedByPush) await probes.setCaseStatus(caseId, "open");
    const pushed = await probes.pushCase(caseId);
    closedByPush = pushed.caseStatus === "closed";
    return pushed;
  };
  try {
    await runner.hop("case.push", "Kibana: push the case through the connector", async () => {
      const pushed = await push();
      return { evidence: `external id ${pushed.externalId}`, value: pushed.externalId };
    });
    const expected = mappedSeverity(severity, config);
    const incident = await runner.hop(
      "case.incident",
      "Defender: the case's incident is in the Defender incident queue",
      async () => {
        const i = await waitIncident(
          caseId,
          (x) => x.severity === expected,
          "the case's incident in the Defender queue",
          RAISE_USUAL,
        );
        return { evidence: `${link(i.id)} ("${i.title}", ${i.severity})`, value: i };
      },
    );
    if (!incident) return;
    const comment = `verify comment ${marker}`;
    await runner.hop("case.comment", "Defender: a case comment reaches the incident (Microsoft Graph)", async () => {
      await probes.commentCase(caseId, comment);
      await push();
      return { evidence: `comment accepted on Defender incident ${incident.id}`, value: true };
    });
    await runner.hop(
      "case.in-progress",
      "Defender: case in progress → incident In progress (Microsoft Graph)",
      async () => {
        await probes.setCaseStatus(caseId, "in-progress");
        await push();
        return { evidence: `status accepted on Defender incident ${incident.id}`, value: true };
      },
    );
    await runner.hop("case.closed", "Defender: case closed → incident resolved (Sentinel shows Closed)", async () => {
      await probes.setCaseStatus(caseId, "closed");
      await probes.pushClosedViaConnector({ caseId, externalId: caseId, title, description, tags, severity });
      const i = await waitIncident(
        caseId,
        (x) => x.status === "Closed",
        `Defender incident ${incident.id} to be resolved`,
        SYNC_USUAL,
      );
      return { evidence: `${link(i.id)} resolved`, value: true };
    });
  } finally {
    await runner.hop(
      "case.cleanup",
      "Kibana: delete the test case",
      async () => {
        await probes.deleteCase(caseId);
        return { evidence: `case ${caseId} deleted`, value: true };
      },
      { always: true },
    );
  }
}

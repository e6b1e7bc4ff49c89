/**
 * The case path, hop by hop: a test case in Kibana → pushed through our connector → the Sentinel incident
 * (title, mapped severity and status, the case link) → a comment → in progress (Active) → closed (Closed),
 * then the test case is deleted. The incident stays, closed and labelled `elastic-case`.
 */

import type { ResolvedConfig } from "../config/schema.js";
import type { Names } from "../names.js";
import { HopFailure, type HopRunner } from "./hop.js";
import { verifyCaseTags } from "./leftovers.js";
import type { IncidentView, VerifyProbes } from "./probes.js";
import { type WaitClock, waitFor } from "./wait.js";

export { VERIFY_TAG } from "./leftovers.js";

/** Kibana case severity → Sentinel severity, as our case-sync workflow maps it. */
export function mappedSeverity(severity: string, config: Pick<ResolvedConfig, "cases">): string {
  const map: Record<string, string> = {
    low: "Low",
    medium: "Medium",
    high: "High",
    critical: config.cases.criticalSeverity,
  };
  return map[severity] ?? "Medium";
}

export interface PathContext {
  config: ResolvedConfig;
  names: Names;
  probes: VerifyProbes;
  clock: WaitClock;
  deadline: number;
  marker: string;
  runner: HopRunner;
  /** Kibana base URL and space, to check the case link in the incident. */
  kibanaCaseUrlBase: string;
  /** Set when the workspace is worked in the Defender portal (case-path-defender.ts; links carry the tenant). */
  defender?: { tenantId?: string };
}

const fixCaseSync = (names: Names) =>
  `Check the case-sync Logic App's run history in the Azure portal (${names.azure.caseSync}), then re-run \`sentinel-elastic setup\`.`;

/**
 * The case-sync Logic App runs when Kibana pushes the case: its Sentinel update is usually there within seconds
 * (the sandbox models the same); the wait is bounded by --timeout.
 */
const SYNC_USUAL = "under 30 s";

async function waitForIncident(
  p: PathContext,
  id: string,
  accept: (i: IncidentView) => boolean,
  what: string,
  waitingFor: string,
): Promise<IncidentView> {
  let seen: IncidentView | undefined;
  const result = await waitFor(
    async () => {
      seen = await p.probes.getIncident(id);
      return seen && accept(seen) ? seen : undefined;
    },
    p.clock,
    { deadline: p.deadline, show: { what: waitingFor, usual: SYNC_USUAL } },
  );
  if (result.ok) return result.value;
  throw new HopFailure(
    seen
      ? `incident ${id} exists but ${what} (title "${seen.title}", severity ${seen.severity}, status ${seen.status})`
      : `incident ${id} not found in Sentinel`,
    fixCaseSync(p.names),
  );
}

export async function runCasePath(p: PathContext): Promise<void> {
  const { probes, runner, config, marker } = p;
  const title = `sentinel-elastic verify ${marker}`;
  const severity = "high";
  // Our tag, this instance's and the run's deadline: a later verify or teardown finds it if this run is killed.
  const tags = verifyCaseTags(p.names.prefix, p.deadline);
  const description = `Test case created by \`sentinel-elastic verify\` (${marker}). Safe to delete.`;

  const caseId = await runner.hop("case.create", "Kibana: create a test case", async () => {
    const c = await probes.createCase({ title, description, tags, severity });
    return { evidence: `case ${c.id}`, value: c.id };
  });
  if (!caseId) return;
  // With the closure type close-by-pushing (set by us or by hand in Kibana), Kibana closes the case after each
  // successful push and refuses to push a closed case (409 "Pushing a closed case is not allowed":
  // elastic/kibana x-pack/platform/plugins/shared/cases/server/client/cases/push.ts). The push answers the case, so
  // the path sees whether the push closed it and reopens it before the next push.
  let closedByPush = false;
  try {
    const externalId = await runner.hop("case.push", "Kibana: push the case through the connector", async () => {
      const pushed = await probes.pushCase(caseId);
      closedByPush = pushed.caseStatus === "closed";
      return { evidence: `external id ${pushed.externalId}`, value: pushed.externalId };
    });
    const expectedSeverity = mappedSeverity(severity, config);
    await runner.hop("case.incident", "Sentinel: incident created with the case's fields", async () => {
      const i = await waitForIncident(
        p,
        externalId!,
        (x) => x.title === title && x.severity === expectedSeverity && x.status === "New",
        `its fields do not match (expected title "${title}", severity ${expectedSeverity}, status New)`,
        `the case's incident ${externalId} in Sentinel`,
      );
      const link = `${p.kibanaCaseUrlBase}${caseId}`;
      if (!(i.description ?? "").includes(link))
        throw new HopFailure(`the incident's description does not carry the case link ${link}`, fixCaseSync(p.names));
      if (!i.labels.includes("elastic-case"))
        throw new HopFailure("the incident has no `elastic-case` label", fixCaseSync(p.names));
      return { evidence: `incident ${i.id}${i.url ? ` ${i.url}` : ""}`, value: i };
    });
    const comment = `verify comment ${marker}`;
    await runner.hop("case.comment", "Sentinel: a case comment arrives on the incident", async () => {
      await probes.commentCase(caseId, comment);
      if (closedByPush) await probes.setCaseStatus(caseId, "open");
      await probes.pushCase(caseId);
      const r = await waitFor(
        async () => ((await probes.incidentComments(externalId!)).some((m) => m.includes(comment)) ? true : undefined),
        p.clock,
        { deadline: p.deadline, show: { what: `the comment on incident ${externalId}`, usual: SYNC_USUAL } },
      );
      if (!r.ok) throw new HopFailure(`comment "${comment}" not on incident ${externalId}`, fixCaseSync(p.names));
      return { evidence: `comment on incident ${externalId}`, value: true };
    });
    await runner.hop("case.in-progress", "Sentinel: case in progress → incident Active", async () => {
      await probes.setCaseStatus(caseId, "in-progress");
      await probes.pushCase(caseId);
      await waitForIncident(
        p,
        externalId!,
        (x) => x.status === "Active",
        "its status is not Active",
        `incident ${externalId} to be Active`,
      );
      return { evidence: `incident ${externalId} Active`, value: true };
    });
    await runner.hop("case.closed", "Sentinel: case closed → incident Closed", async () => {
      await probes.setCaseStatus(caseId, "closed");
      await probes.pushClosedViaConnector({ caseId, externalId: externalId!, title, description, tags, severity });
      const i = await waitForIncident(
        p,
        externalId!,
        (x) => x.status === "Closed",
        "its status is not Closed",
        `incident ${externalId} to be Closed`,
      );
      return { evidence: `incident ${i.id} Closed (${i.classification ?? "no classification"})`, value: true };
    });
  } finally {
    // Clean up the test case whatever happened; a failure here is reported, not thrown.
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

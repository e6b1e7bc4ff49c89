/**
 * Verify cleans up after itself, even after a kill: its test case carries the verify tag, this instance's tag
 * and the run's deadline (tags Kibana keeps as written). A later verify removes the test cases of this instance
 * whose run is over (past their deadline, so a verify still running is left alone), and teardown removes them
 * all. Each one pushed to Sentinel has its incident closed first, through our case connector, as Kibana itself
 * would send a closed case (pushToService with status closed).
 */
import type { Step, StepContext } from "../engine/types.js";
import type { KibanaApi } from "../kibana/client.js";
import type { Case } from "../kibana/cases.js";
import type { Names } from "../names.js";
import { connectorIsOurs, ruleInstanceTag } from "../ownership/marker.js";
import { remainingCheck } from "../steps/teardown-common.js";

export const VERIFY_TAG = "sentinel-elastic-verify";
const UNTIL_PREFIX = "sentinel-elastic-verify-until:";

/** The tags of a verify test case: ours, this instance's, and when its run ends. */
export function verifyCaseTags(prefix: string, deadline: number): string[] {
  return [VERIFY_TAG, ruleInstanceTag(prefix), `${UNTIL_PREFIX}${new Date(deadline).toISOString()}`];
}

/** When the run that made this test case ends (undefined: not recorded). */
function runEndsAt(c: Pick<Case, "tags">): number | undefined {
  const t = c.tags.find((x) => x.startsWith(UNTIL_PREFIX));
  const ms = t ? Date.parse(t.slice(UNTIL_PREFIX.length)) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * This instance's verify test cases; with `now`, only those whose run is over. A case with the verify tag but
 * not this instance's tag is someone else's (another instance's, or made by hand): never touched.
 */
export async function findLeftoverCases(k: KibanaApi, prefix: string, now?: number): Promise<Case[]> {
  const mine = (await k.findCasesByTags([VERIFY_TAG])).filter(
    (c) => c.tags.includes(VERIFY_TAG) && c.tags.includes(ruleInstanceTag(prefix)),
  );
  if (now === undefined) return mine;
  return mine.filter((c) => (runEndsAt(c) ?? 0) < now);
}

export interface CleanupResult {
  removed: string[];
  /** Incidents closed on the way. */
  closed: string[];
}

/** Close the leftover's incident (when it was pushed and our connector is there), then delete the case. */
export async function removeLeftovers(k: KibanaApi, names: Names, cases: Case[]): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], closed: [] };
  if (!cases.length) return result;
  const connectorId = names.kibana.caseConnectorId;
  const connectorOk = connectorIsOurs(await k.getConnector(connectorId), names.prefix);
  for (const c of cases) {
    const externalId = c.external_service?.external_id;
    if (externalId && connectorOk) {
      const r = await k.executeConnector(connectorId, {
        subAction: "pushToService",
        subActionParams: {
          incident: {
            title: c.title,
            description: c.description,
            tags: c.tags,
            id: c.id,
            severity: c.severity,
            status: "closed",
            externalId,
          },
          comments: [],
        },
      });
      if (r.status === "ok") result.closed.push(externalId);
    }
    await k.deleteCases([c.id]);
    result.removed.push(c.id);
  }
  return result;
}

/** Teardown: every verify test case of this instance, whatever its run's deadline (before our case connector). */
export const verifyCasesTeardown: Step = {
  id: "teardown-kibana-verify-cases",
  title: "Kibana verify test cases left by an interrupted verify",
  target: "kibana",
  // Whatever the features say now: a test case of ours is found by its tags.
  enabled: () => true,
  async plan(ctx: StepContext) {
    const k = await ctx.clients.kibana();
    const left = await findLeftoverCases(k, ctx.names.prefix);
    const base = { step: this.id, target: "kibana" as const, resource: "verify test case" };
    if (!left.length) return [{ ...base, name: VERIFY_TAG, action: "no-op", reason: "none left" }];
    return left.map((c) => ({
      ...base,
      name: c.id,
      action: "delete" as const,
      reason: `tagged ${VERIFY_TAG} and ${ruleInstanceTag(ctx.names.prefix)}${c.external_service ? `; its incident ${c.external_service.external_id} is closed first` : ""}`,
    }));
  },
  async apply(ctx, changes) {
    if (!changes.some((c) => c.step === this.id && c.action === "delete")) return;
    const k = await ctx.clients.kibana();
    await removeLeftovers(k, ctx.names, await findLeftoverCases(k, ctx.names.prefix));
  },
  async verify(ctx) {
    return remainingCheck(this, await this.plan(ctx));
  },
};

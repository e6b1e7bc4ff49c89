/**
 * POST /api/cases/{caseId}/connector/{connectorId}/_push — CASES/server/client/cases/push.ts and
 * utils.ts (createIncident, formatComments, addAlertMessage, getLatestPushInfo):
 * - a closed case → 409 "The <title> case is closed. Pushing a closed case is not allowed.";
 * - the incident carries externalId = the latest push to that connector, which selects the update path;
 * - only user comments not pushed yet (or edited since) are sent, each with "\n\nAdded by <user>." where
 *   user = full_name ?? username of updated_by ?? created_by (getEntity); when any alert attachment is
 *   unpushed, one "Elastic Alerts attached to the case: <total>" comment is added (`<caseId>-total-alerts`);
 * - a connector result with status 'error' → 424 with its serviceMessage;
 * - closure_type close-by-pushing closes the case after a successful push.
 */
import type { Router } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { atLeast } from "../../version.js";
import { executeConnector, licenseError } from "../connectors/execute.js";
import { badRequest, KibanaError, ok } from "../http.js";
import { requireFeature, spaceOf } from "../request-context.js";
import { caseUser, nextVersion } from "./common.js";
import type { ExternalService } from "./model.js";
import { caseResponse, findCase } from "./view.js";

export function registerPushRoute(router: Router, ctx: SandboxContext): void {
  router.on("POST", "/api/cases/:caseId/connector/:connectorId/_push", async (req) => {
    requireFeature(req, "securitySolutionCases", "all", "push a case");
    const body = req.json();
    if (body !== undefined && body !== null && !(typeof body === "object" && Object.keys(body).length === 0))
      throw badRequest(`invalid keys "${Object.keys(body as object).join(",")}"`);
    const space = spaceOf(ctx, req);
    const theCase = findCase(ctx, req, req.params.caseId!);
    const connector = space.connectors.get(req.params.connectorId!);
    if (!connector) throw new KibanaError(404, `Saved object [action/${req.params.connectorId}] not found`);
    if (theCase.status === "closed")
      throw new KibanaError(409, `The ${theCase.title} case is closed. Pushing a closed case is not allowed.`);
    const licence = licenseError(ctx, connector.connector_type_id);
    if (licence) throw new KibanaError(403, licence);

    const latest = [...theCase.pushes].reverse().find((p) => p.connector_id === connector.id);
    const latestAt = latest ? Date.parse(latest.pushed_at) : undefined;
    const unpushed = theCase.comments.filter(
      (c) =>
        c.pushed_at == null || (latestAt !== undefined && c.updated_at != null && Date.parse(c.updated_at) > latestAt),
    );
    const comments = unpushed
      .filter((c) => c.type === "user")
      .map((c) => ({
        comment: `${c.comment}\n\nAdded by ${c.updated_by?.full_name ?? c.updated_by?.username ?? c.created_by.full_name ?? c.created_by.username}.`,
        commentId: c.id,
      }));
    // addAlertMessage: when any alert attachment is unpushed, one comment with the TOTAL alert count.
    const alertComments = theCase.comments.filter((c) => c.type === "alert");
    if (alertComments.some((c) => c.pushed_at == null)) {
      const total = alertComments.reduce((n, c) => n + (Array.isArray(c.alertId) ? c.alertId.length : 1), 0);
      comments.push({
        comment: `Elastic Alerts attached to the case: ${total}`,
        commentId: `${theCase.id}-total-alerts`,
      });
    }

    // case.id / severity / status reach the connector from 8.11 (kibana PR #166295).
    const extended = atLeast(ctx.version, "8.11.0");
    const incident = {
      title: theCase.title,
      description: theCase.description,
      tags: theCase.tags,
      ...(extended ? { id: theCase.id, severity: theCase.severity, status: theCase.status } : {}),
      externalId: latest?.external_id ?? null,
    };
    const result = await executeConnector(ctx, connector, {
      subAction: "pushToService",
      subActionParams: { incident, comments },
    });
    if (result.status === "error")
      throw new KibanaError(424, result.serviceMessage ?? result.message ?? "Error pushing to service");
    const data = result.data as { id: string; title: string; url: string; pushedDate: string };
    const now = ctx.clock.date().toISOString();
    const user = caseUser(req);
    const external: ExternalService = {
      connector_id: connector.id,
      connector_name: connector.name,
      external_id: data.id,
      external_title: data.title,
      external_url: data.url,
      pushed_at: data.pushedDate ?? now,
      pushed_by: user,
    };
    theCase.pushes.push(external);
    theCase.external_service = external;
    for (const c of unpushed) {
      c.pushed_at = external.pushed_at;
      c.pushed_by = user;
    }
    const config = [...space.caseConfigs.values()].find((c) => c.owner === theCase.owner);
    if (config?.closure_type === "close-by-pushing") {
      theCase.status = "closed";
      theCase.closed_at = now;
      theCase.closed_by = user;
    }
    theCase.updated_at = now;
    theCase.updated_by = user;
    theCase.version = nextVersion(ctx);
    return ok(caseResponse(theCase));
  });
}

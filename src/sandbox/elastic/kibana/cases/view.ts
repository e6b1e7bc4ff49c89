/** How a case is read and rendered by the Cases routes. */
import type { SandboxRequest } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import { KibanaError } from "../http.js";
import { spaceOf } from "../request-context.js";
import type { CaseRecord } from "./model.js";

/** The case as the API returns it; `comments` only where Kibana includes them. */
export function caseResponse(c: CaseRecord, withComments = true) {
  const { pushes: _pushes, comments, ...rest } = c;
  const userComments = comments.filter((x) => x.type === "user").length;
  const alerts = comments
    .filter((x) => x.type === "alert")
    .reduce((n, x) => n + (Array.isArray(x.alertId) ? x.alertId.length : 1), 0);
  return { ...rest, comments: withComments ? comments : [], totalComment: userComments, totalAlerts: alerts };
}

export function findCase(ctx: SandboxContext, req: SandboxRequest, id: string): CaseRecord {
  const c = spaceOf(ctx, req).cases.get(id);
  if (!c) throw new KibanaError(404, `Saved object [cases/${id}] not found`);
  return c;
}

/**
 * Kibana's spaces API, read side (x-pack/platform/plugins/shared/spaces/server/routes/api/external/get_all.ts and
 * get.ts): `GET /api/spaces/space` lists the spaces the caller is authorised for (any privilege in the space: the
 * default `purpose=any`), `GET /api/spaces/space/{id}` reads one and answers 404 "Saved object [space/<id>] not
 * found" when it does not exist. Both are space-independent routes (no `/s/<space>` prefix needed).
 */
import type { Router } from "../../../common/router.js";
import { KIBANA_APPLICATION, type Principal } from "../../auth.js";
import type { SandboxContext } from "../../context.js";
import { globMatch } from "../../glob.js";
import { KibanaError, ok } from "../http.js";
import { infoOf } from "../request-context.js";

function spaceBody(id: string) {
  const name = id === "default" ? "Default" : id;
  return {
    id,
    name,
    description: id === "default" ? "This is your default space!" : "",
    color: "#00bfb3",
    initials: name.slice(0, 2).toUpperCase(),
    disabledFeatures: [],
    ...(id === "default" ? { _reserved: true } : {}),
  };
}

/** Any Kibana application privilege on `space:<id>` (or a wildcard resource) lets the caller see the space. */
function authorisedFor(p: Principal | undefined, id: string): boolean {
  if (!p || p.superuser) return true;
  return (p.grant.applications ?? []).some(
    (g) =>
      globMatch(g.application, KIBANA_APPLICATION) &&
      g.resources.some((r) => globMatch(r, `space:${id}`)) &&
      g.privileges.length > 0,
  );
}

export function registerSpacesRoutes(router: Router, ctx: SandboxContext): void {
  router.on("GET", "/api/spaces/space", (req) => {
    const { principal } = infoOf(req);
    return ok([...ctx.spaces.keys()].filter((id) => authorisedFor(principal, id)).map(spaceBody));
  });
  router.on("GET", "/api/spaces/space/:id", (req) => {
    const id = req.params.id ?? "";
    if (!ctx.spaces.has(id) || !authorisedFor(infoOf(req).principal, id))
      throw new KibanaError(404, `Saved object [space/${id}] not found`);
    return ok(spaceBody(id));
  });
}

/**
 * REST API compatibility headers (ES server/src/main/java/org/elasticsearch/rest/RestCompatibleVersionHelper.java):
 * `Accept` / `Content-Type: application/vnd.elasticsearch+json; compatible-with=N` must name the server's
 * major or the one before, and must agree when the request has a body. This is why the v9
 * @elastic/elasticsearch client fails against an 8.x server unless it is configured with 8.x
 * compatibility headers (elastic/elasticsearch-js#2909: "Accept version must be either version 8 or 7,
 * but found 9").
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { parseVersion } from "../version.js";
import { esErrorResponse } from "./errors.js";

function compatibleWith(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const m = /application\/vnd\.elasticsearch\+[a-z-]+\s*;.*compatible-with\s*=\s*(\d+)/i.exec(header);
  return m ? Number(m[1]) : undefined;
}

export function checkCompatibilityHeaders(req: SandboxRequest, version: string): SandboxResponse | undefined {
  const major = parseVersion(version)[0];
  const accept = req.headers.accept;
  const contentType = req.headers["content-type"];
  const hasContent = req.raw.length > 0;
  const acceptVersion = compatibleWith(accept);
  const contentVersion = hasContent ? compatibleWith(contentType) : undefined;
  const fail = (reason: string) => {
    const res = esErrorResponse(
      400,
      "media_type_header_exception",
      "Invalid media-type value on headers [Accept, Content-Type]",
      {
        caused_by: { type: "status_exception", reason },
      },
    );
    return res;
  };
  const allowed = (v: number) => v === major || v === major - 1;
  if (acceptVersion !== undefined && !allowed(acceptVersion))
    return fail(
      `Accept version must be either version ${major} or ${major - 1}, but found ${acceptVersion}. Accept=${accept}`,
    );
  if (contentVersion !== undefined && !allowed(contentVersion))
    return fail(
      `Content-Type version must be either version ${major} or ${major - 1}, but found ${contentVersion}. Content-Type=${contentType}`,
    );
  if (
    hasContent &&
    (acceptVersion !== undefined || contentVersion !== undefined) &&
    acceptVersion !== contentVersion &&
    accept !== undefined
  )
    return fail(
      `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=${accept}, Content-Type=${contentType}`,
    );
  return undefined;
}

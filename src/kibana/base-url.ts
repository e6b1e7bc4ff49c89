/**
 * A Kibana URL copied from the browser (`https://kb.example.com/app/security/alerts`, or
 * `…/s/secops/app/…` in a space) is a page address, not Kibana's base URL: every API path would be appended
 * to it and 404 (or, for real Kibana, answer the app's HTML page, since `/app/{id}/{any*}` renders the
 * bootstrap page). Kibana routes are `<base path>[/s/<space>]/app/<app>` and `<base path>[/s/<space>]/api/…`,
 * so the base URL is everything before `/s/<space>` or `/app/`.
 */
import { findInput, whereToSet } from "../config/registry.js";
import { InputError } from "../errors.js";
import { describeUrl } from "../redact.js";

export interface BrowserUrlHint {
  /** The URL with the `/app/…` and `/s/<space>` parts (and any query or fragment) removed. */
  baseUrl: string;
  /** The space named by a `/s/<space>` segment, if any. */
  space?: string;
}

const SPACE_SEGMENT = /^(.*?)\/s\/([^/]+)\/?$/;

/** The base URL to suggest for a path that holds `/app/<id>…` or ends with `/s/<space>`; undefined when neither. */
export function browserUrlHint(url: string): BrowserUrlHint | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const path = u.pathname;
  // `/app/<id>`, not a bare trailing `/app`, which could be a base path someone chose.
  const app = /\/app\/[^/]/.exec(path);
  const before = app ? path.slice(0, app.index) : path;
  const space = SPACE_SEGMENT.exec(before);
  if (!app && !space) return undefined;
  const basePath = space ? space[1]! : before;
  return {
    baseUrl: `${u.protocol}//${u.host}${basePath.replace(/\/+$/, "")}`,
    space: space ? decodeURIComponent(space[2]!) : undefined,
  };
}

/** True when the URL has a path beyond `/` (a base path, or a page copied from the browser). */
export function hasPath(url: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, "") !== "";
  } catch {
    return false;
  }
}

/** A URL for a message: credentials masked, no trailing slash. */
const show = (url: string) => describeUrl(url).replace(/\/+$/, "");

function where(key: string): string {
  const def = findInput(key);
  return def ? whereToSet(def) : key;
}

/**
 * The input error for a Kibana URL that is not the base URL. `what` says how we know (the `/app/` path, or
 * the 404 that `GET <url>/api/status` got).
 */
export function notKibanaBaseUrl(url: string, what: string): InputError {
  const hint = browserUrlHint(url);
  const kibanaWhere = where("elastic.kibanaUrl");
  const spaceWhere = where("elastic.space");
  const problems = [{ key: "elastic.kibanaUrl", message: "is not Kibana's base URL", where: kibanaWhere }];
  let suggestion: string;
  if (hint) {
    suggestion = `Set the Kibana base URL, the part before ${hint.space ? "/s/" : "/app/"}: ${show(hint.baseUrl)} (${kibanaWhere}).`;
  } else {
    const origin = new URL(url).origin;
    suggestion = `Set the Kibana base URL (${kibanaWhere}): the address without a page path, e.g. ${show(origin)}, keeping a base path only if Kibana is served under one (server.basePath).`;
  }
  if (hint?.space) {
    suggestion += ` To work in the space '${hint.space}', set elastic.space to ${hint.space} instead (${spaceWhere}).`;
  }
  return new InputError(`The Kibana URL ${show(url)} is not Kibana's base URL: ${what}.`, {
    code: "KIBANA_URL_NOT_BASE",
    suggestion,
    problems,
  });
}

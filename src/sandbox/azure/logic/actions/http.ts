/**
 * The Http action: a real request through the host, with `queries`, `headers`, a JSON or text `body`, the
 * retry policy in `inputs.retryPolicy`, and `authentication` of type ManagedServiceIdentity (a token for the
 * workflow's system-assigned identity and `audience`, default https://management.azure.com/) or Raw.
 * 2xx/3xx succeed; other statuses fail the action with the status name as its code and the response in outputs.
 */
import { ActionError } from "../errors.js";
import { isObject, stringify } from "../expression/values.js";
import { delay, httpOutputs, retryPolicyOf, sendWithRetries, statusName } from "../http-call.js";
import type { Executor } from "../scheduler.js";

export const DEFAULT_AUDIENCE = "https://management.azure.com/";

const header = (h: Record<string, string>, name: string) =>
  Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];

export const http: Executor = async (ctx) => {
  const inputs = ctx.inputs() as Record<string, unknown>;
  const run = ctx.frame.run;
  const method = String(inputs.method ?? "").toUpperCase();
  if (!method) throw new ActionError("InvalidTemplate", `The 'method' of Http action '${ctx.name}' is required.`);
  let url: URL;
  try {
    url = new URL(String(inputs.uri ?? ""));
  } catch {
    throw new ActionError(
      "InvalidTemplate",
      `The 'uri' of Http action '${ctx.name}' is not a valid absolute URI: '${stringify(inputs.uri)}'.`,
    );
  }
  if (isObject(inputs.queries))
    for (const [k, v] of Object.entries(inputs.queries)) url.searchParams.append(k, stringify(v));
  const headers: Record<string, string> = {};
  if (isObject(inputs.headers)) for (const [k, v] of Object.entries(inputs.headers)) headers[k] = stringify(v);
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === "content-type");
  let body: string | undefined;
  if (typeof inputs.body === "string") body = inputs.body;
  else if (inputs.body !== undefined && inputs.body !== null) {
    body = JSON.stringify(inputs.body);
    if (!hasType) headers["Content-Type"] = "application/json";
  }
  const auth = inputs.authentication;
  if (isObject(auth)) {
    const type = String(auth.type ?? "");
    if (/^managedserviceidentity$/i.test(type)) {
      if (!run.wf.principalId)
        throw new ActionError(
          "MissingManagedIdentity",
          `The workflow '${run.wf.name}' has no system-assigned managed identity, which the authentication of action '${ctx.name}' requires.`,
        );
      const audience = typeof auth.audience === "string" && auth.audience ? auth.audience : DEFAULT_AUDIENCE;
      headers.Authorization = `Bearer ${await run.host.managedIdentityToken(run.wf.id, audience)}`;
    } else if (/^raw$/i.test(type)) headers.Authorization = stringify(auth.value);
    else
      throw new ActionError(
        "InvalidTemplate",
        `The authentication type '${type}' of action '${ctx.name}' is not supported by the sandbox runtime.`,
      );
  }
  const policy = retryPolicyOf(inputs.retryPolicy, ctx.name);
  const shown = { ...inputs, ...(isObject(auth) ? { authentication: { ...auth, value: undefined } } : {}) };
  let { res, retryHistory } = await sendWithRetries(run.host, { method, url: url.toString(), headers, body }, policy);
  // The asynchronous request-response pattern: a 202 with a Location header is polled with GET until the
  // operation answers something other than 202, unless DisableAsyncPattern is set
  // (learn.microsoft.com/azure/logic-apps/logic-apps-create-api-app#perform-long-running-tasks-with-the-polling-action-pattern).
  const asyncPattern = !/disableasyncpattern/i.test(ctx.def.operationOptions ?? "");
  for (let polls = 0; asyncPattern && res.status === 202 && polls < 1000; polls++) {
    const location = header(res.headers, "location");
    if (!location) break;
    const wait = Number(header(res.headers, "retry-after") ?? "");
    await delay(run.host, Number.isFinite(wait) && wait > 0 ? wait * 1000 : 10_000);
    const auth: Record<string, string> = headers.Authorization ? { Authorization: headers.Authorization } : {};
    const next = await sendWithRetries(
      run.host,
      { method: "GET", url: new URL(location, url).toString(), headers: auth },
      policy,
    );
    res = next.res;
    retryHistory = [...retryHistory, ...next.retryHistory];
  }
  const outputs = httpOutputs(res);
  const ok = res.status < 400;
  return { status: ok ? "Succeeded" : "Failed", code: statusName(res.status), inputs: shown, outputs, retryHistory };
};

/**
 * The Http action: a real request through the host, with `queries`, `headers`, a JSON or text `body`, the
 * retry policy in `inputs.retryPolicy`, and `authentication` of type ManagedServiceIdentity (a token for the
 * workflow's system-assigned identity and `audience`, default https://management.azure.com/) or Raw.
 * 2xx/3xx succeed; other statuses fail the action with the status name as its code and the response in outputs.
 */
import { ActionError } from "../errors.js";
import { isObject, stringify } from "../expression/values.js";
import { httpOutputs, retryPolicyOf, sendWithRetries, statusName } from "../http-call.js";
import type { Executor } from "../scheduler.js";

export const DEFAULT_AUDIENCE = "https://management.azure.com/";

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
  const { res, retryHistory } = await sendWithRetries(run.host, { method, url: url.toString(), headers, body }, policy);
  const outputs = httpOutputs(res);
  const ok = res.status < 400;
  return { status: ok ? "Succeeded" : "Failed", code: statusName(res.status), inputs: shown, outputs, retryHistory };
};

/**
 * The Response action: answers the Request trigger's caller with status, headers and body
 * (learn.microsoft.com/azure/connectors/connectors-native-reqres). A string body is sent as-is, anything else as
 * JSON. Once the caller has been answered (or has timed out) a second Response fails.
 */
import { ActionError } from "../errors.js";
import { isObject, stringify } from "../expression/values.js";
import type { Executor } from "../scheduler.js";

export const response: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { statusCode?: unknown; headers?: unknown; body?: unknown };
  const status = typeof inputs?.statusCode === "string" ? Number(inputs.statusCode) : inputs?.statusCode;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599)
    throw new ActionError(
      "InvalidTemplate",
      `The 'statusCode' of Response action '${ctx.name}' must be an integer between 100 and 599; got '${stringify(inputs?.statusCode)}'.`,
    );
  const headers: Record<string, string> = {};
  if (isObject(inputs.headers)) for (const [k, v] of Object.entries(inputs.headers)) headers[k] = stringify(v);
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === "content-type");
  let body = "";
  if (typeof inputs.body === "string") {
    body = inputs.body;
    if (!hasType && body) headers["Content-Type"] = "text/plain; charset=utf-8";
  } else if (inputs.body !== undefined && inputs.body !== null) {
    body = JSON.stringify(inputs.body);
    if (!hasType) headers["Content-Type"] = "application/json; charset=utf-8";
  }
  const run = ctx.frame.run;
  if (run.responded)
    throw new ActionError(
      "ActionResponseTimedOut",
      `The execution of template action '${ctx.name}' failed: the client application is no longer waiting for a response (a response was already sent or the request timed out).`,
    );
  run.respond({ status, headers, body });
  return {
    status: "Succeeded",
    code: "OK",
    inputs,
    outputs: { statusCode: status, headers, body: inputs.body ?? null },
  };
};

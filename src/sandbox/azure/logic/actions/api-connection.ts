/**
 * ApiConnection actions. The connection comes from `inputs.host.connection.name` (in templates
 * `@parameters('$connections')['azuresentinel']['connectionId']`); the workflow's `$connections` entry with that
 * connectionId says which managed API it is. Only `azuresentinel` is emulated, and only while the connection's
 * status is Connected (an OAuth connection nobody authorised fails here, as it does in Azure).
 */
import { ActionError } from "../errors.js";
import { isObject } from "../expression/values.js";
import { httpOutputs, retryPolicyOf, statusName } from "../http-call.js";
import type { Executor } from "../scheduler.js";
import { sentinelOperation } from "./sentinel-connector.js";

export const ARM_AUDIENCE = "https://management.azure.com/";

export const apiConnection: Executor = async (ctx) => {
  const inputs = ctx.inputs() as Record<string, unknown>;
  const run = ctx.frame.run;
  const hostInput = isObject(inputs.host) ? inputs.host : {};
  const connectionId = isObject(hostInput.connection) ? hostInput.connection.name : undefined;
  if (typeof connectionId !== "string" || !connectionId)
    throw new ActionError(
      "InvalidTemplate",
      `The 'host.connection.name' of ApiConnection action '${ctx.name}' must name a connection.`,
    );
  const connections = isObject(run.params.$connections) ? run.params.$connections : {};
  const entry = Object.entries(connections).find(
    ([, c]) => isObject(c) && String(c.connectionId ?? "").toLowerCase() === connectionId.toLowerCase(),
  );
  const apiId = entry && isObject(entry[1]) ? String(entry[1].id ?? "") : "";
  if (!/\/managedApis\/azuresentinel$/i.test(apiId))
    throw new ActionError(
      "OperationNotSupported",
      `The connection '${connectionId}' of action '${ctx.name}' is not an 'azuresentinel' connection in the workflow's $connections parameter; the sandbox emulates only azuresentinel.`,
    );
  const conn = await run.host.connection(connectionId);
  if (!conn) throw new ActionError("ApiConnectionNotFound", `The API connection '${connectionId}' was not found.`);
  if (conn.status !== "Connected") {
    const outputs = {
      statusCode: 401,
      headers: {},
      body: {
        status: 401,
        message: `The API connection '${connectionId.split("/").pop()}' is not authenticated. Authorize the connection and try again.`,
      },
    };
    return {
      status: "Failed",
      code: "Unauthorized",
      inputs,
      outputs,
      error: { code: "Unauthorized", message: outputs.body.message },
    };
  }
  const token = await conn.token(ARM_AUDIENCE);
  const call = { host: run.host, token, policy: retryPolicyOf(inputs.retryPolicy, ctx.name), retryHistory: [] };
  const res = await sentinelOperation(call, String(inputs.method ?? ""), String(inputs.path ?? ""), inputs.body);
  const outputs = httpOutputs(res);
  return {
    status: res.status < 400 ? "Succeeded" : "Failed",
    code: statusName(res.status),
    inputs,
    outputs,
    retryHistory: call.retryHistory,
  };
};

/**
 * The Request trigger (learn.microsoft.com/azure/connectors/connectors-native-reqres): checks the caller's method
 * and `relativePath`, reads the body, and validates it against `inputs.schema` when the trigger's
 * `operationOptions` include `EnableSchemaValidation` — Azure's "Schema Validation" setting, off by default; with
 * it off the schema only describes the body. A mismatch is a 400 with
 * {"error":{"code":"TriggerInputSchemaMismatch","message":"The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: '…'."}}
 * and no run.
 */
import type { TriggerDef } from "./definition.js";
import { describeSchemaError, schemaValidator } from "./schemas.js";
import type { TriggerRequest, TriggerResponse } from "./types.js";

export type TriggerCheck =
  | { ok: true; outputs: Record<string, unknown>; inputs: Record<string, unknown> }
  | { ok: false; response: TriggerResponse };

const errorResponse = (status: number, code: string, message: string): TriggerCheck => ({
  ok: false,
  response: {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify({ error: { code, message } }),
  },
});

/** Match `relativePath` "cases/{caseId}" against "/cases/42" → {caseId: "42"}. */
function matchPath(template: string, actual: string): Record<string, string> | undefined {
  const t = template.split("/").filter(Boolean);
  const a = actual.split("/").filter(Boolean);
  if (t.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const m = /^\{(.+)\}$/.exec(t[i]!);
    if (m) params[m[1]!] = decodeURIComponent(a[i]!);
    else if (t[i]!.toLowerCase() !== a[i]!.toLowerCase()) return undefined;
  }
  return params;
}

export function checkRequest(name: string, trigger: TriggerDef, req: TriggerRequest): TriggerCheck {
  const want = trigger.inputs?.method;
  if (want && want.toUpperCase() !== req.method.toUpperCase())
    return errorResponse(
      400,
      "TriggerRequestMethodNotValid",
      `The HTTP method for this request is not valid: expected '${want.charAt(0).toUpperCase()}${want.slice(1).toLowerCase()}' and actual '${req.method.toUpperCase()}'.`,
    );
  let relativePathParameters: Record<string, string> | undefined;
  const template = trigger.inputs?.relativePath;
  if (template) {
    relativePathParameters = matchPath(template, req.relativePath ?? "");
    if (!relativePathParameters)
      return errorResponse(
        404,
        "TriggerRequestPathNotValid",
        `The request path '${req.relativePath ?? ""}' does not match the relative path '${template}' of trigger '${name}'.`,
      );
  } else if (req.relativePath && req.relativePath !== "/") {
    return errorResponse(
      404,
      "TriggerRequestPathNotValid",
      `The trigger '${name}' has no relative path; the request path '${req.relativePath}' is not valid.`,
    );
  }
  const type = Object.entries(req.headers).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
  let body: unknown = null;
  if (req.body !== "") {
    if (/json/i.test(type) || !type) {
      try {
        body = JSON.parse(req.body);
      } catch (err) {
        if (/json/i.test(type))
          return errorResponse(
            400,
            "InvalidRequestContent",
            `The request content is not valid and could not be deserialized: '${err instanceof Error ? err.message : String(err)}'.`,
          );
        body = req.body;
      }
    } else body = req.body;
  }
  const schema = trigger.inputs?.schema;
  if (
    /enableschemavalidation/i.test(trigger.operationOptions ?? "") &&
    schema &&
    typeof schema === "object" &&
    Object.keys(schema).length
  ) {
    const v = schemaValidator(schema);
    if (!v(body))
      return errorResponse(
        400,
        "TriggerInputSchemaMismatch",
        `The input body for trigger '${name}' of type 'Request' did not match its schema definition. Error details: '${describeSchemaError(v, body)}'.`,
      );
  }
  // Logic Apps leaves the Authorization header out of the trigger's outputs (and so out of run history) unless
  // the trigger has operationOptions IncludeAuthorizationHeadersInOutputs.
  const keepAuth = /includeauthorizationheadersinoutputs/i.test(trigger.operationOptions ?? "");
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([k]) => keepAuth || k.toLowerCase() !== "authorization"),
  );
  const outputs: Record<string, unknown> = { headers };
  if (Object.keys(req.query).length) outputs.queries = { ...req.query };
  if (relativePathParameters) outputs.relativePathParameters = relativePathParameters;
  if (body !== null) outputs.body = body;
  return {
    ok: true,
    outputs,
    inputs: { method: req.method.toUpperCase(), ...(template ? { relativePath: template } : {}) },
  };
}

/** Data operations: Compose, Select, Query (Filter array), ParseJson. */
import { ActionError } from "../errors.js";
import { evaluateValue } from "../expression/evaluate.js";
import { isObject, TemplateError, typeName } from "../expression/values.js";
import type { Executor } from "../scheduler.js";
import { schemaValidator } from "../schemas.js";

export const compose: Executor = async (ctx) => {
  const value = ctx.inputs();
  return { status: "Succeeded", code: "OK", inputs: value, outputs: value };
};

function fromArray(ctx: Parameters<Executor>[0], from: unknown): unknown[] {
  if (!Array.isArray(from))
    throw new ActionError(
      "InvalidTemplate",
      `The 'from' property value in the '${ctx.def.type.toLowerCase()}' action inputs is of type '${typeName(from)}'. The value must be an array.`,
      "Failed",
    );
  return from;
}

/** Evaluate `template` once per element with item() bound to the element. */
function perItem(ctx: Parameters<Executor>[0], items: unknown[], template: unknown): unknown[] {
  return items.map((item, index) => {
    const frame = ctx.frame.child({ name: "", index, item, hasItem: true });
    try {
      return evaluateValue(template, frame.host(ctx.name));
    } catch (err) {
      if (err instanceof TemplateError)
        throw new ActionError(
          "InvalidTemplate",
          `Unable to process template language expressions in action '${ctx.name}' inputs at line '0' and column '0': '${err.message}'.`,
        );
      throw err;
    }
  });
}

export const select: Executor = async (ctx) => {
  const def = isObject(ctx.def.inputs) ? ctx.def.inputs : {};
  const from = fromArray(ctx, ctx.evaluate(def.from));
  const body = perItem(ctx, from, def.select);
  return { status: "Succeeded", code: "OK", inputs: { from, select: def.select }, outputs: { body } };
};

export const query: Executor = async (ctx) => {
  const def = isObject(ctx.def.inputs) ? ctx.def.inputs : {};
  const from = fromArray(ctx, ctx.evaluate(def.from));
  const keep = perItem(ctx, from, def.where);
  const body = from.filter((_, i) => keep[i] === true);
  return { status: "Succeeded", code: "OK", inputs: { from, where: def.where }, outputs: { body } };
};

export const parseJson: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { content?: unknown; schema?: unknown };
  let content = inputs?.content;
  if (content === undefined || content === null)
    throw new ActionError(
      "InvalidTemplate",
      `Unable to process template language expressions in action '${ctx.name}' inputs at line '0' and column '0': 'Required property 'content' expects a value but got null. Path ''.'.`,
    );
  if (typeof content === "string") {
    try {
      content = JSON.parse(content);
    } catch {
      throw new ActionError(
        "InvalidJSON",
        `The 'content' property of actions of type 'ParseJson' must be valid JSON. The provided value cannot be parsed.`,
      );
    }
  }
  if (isObject(inputs?.schema) && Object.keys(inputs.schema).length > 0) {
    const validate = schemaValidator(inputs.schema);
    if (!validate(content)) {
      const errors = (validate.errors ?? []).map((e) => ({
        message: e.message,
        path: e.instancePath,
        schemaId: e.schemaPath,
      }));
      throw new ActionError("ValidationFailed", "The schema validation failed.", "Failed", { body: content, errors });
    }
  }
  return { status: "Succeeded", code: "OK", inputs, outputs: { body: content } };
};

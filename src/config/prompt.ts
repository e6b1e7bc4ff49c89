/** Ask for one missing input through the IoHost (never @inquirer/prompts directly). */
import type { IoHost } from "../io/io-host.js";
import { decodeCloudId } from "./cloud-id.js";
import { coerce } from "./coerce.js";
import { findInput, type InputDef } from "./registry.js";
import { checkValue } from "./validate.js";

export function questionCode(def: InputDef): string {
  return `input.${def.key}`;
}

export async function askForInput(def: InputDef, io: IoHost): Promise<unknown> {
  const code = questionCode(def);
  // Why we ask, in one line: the input's own description (the one --help shows).
  const why = def.description;
  if (def.type === "boolean") {
    return io.ask({ kind: "confirm", code, message: def.prompt, why, default: def.default === true });
  }
  if (def.type === "enum" && def.choices) {
    return io.ask({
      kind: "select",
      code,
      message: def.prompt,
      why,
      choices: def.choices.map((c) => ({ value: c, name: c })),
      default: typeof def.default === "string" ? def.default : undefined,
    });
  }
  const answer = await io.ask({
    kind: "text",
    code,
    message: def.prompt,
    why,
    secret: def.secret,
    default: def.default === undefined ? undefined : String(def.default),
    validate: (text) => {
      const c = coerce(def, text);
      if (!c.ok) return c.message;
      if (c.value === undefined || c.value === "") return "a value is needed";
      return checkValue(def, c.value) ?? true;
    },
  });
  const c = coerce(def, answer);
  return c.ok ? c.value : answer;
}

/** The Cloud ID, offered before the two URLs it replaces; empty = give the URLs instead. */
export async function askOptionalCloudId(io: IoHost): Promise<string | undefined> {
  const def = findInput("elastic.cloudId")!;
  const answer = await io.ask({
    kind: "text",
    code: questionCode(def),
    message: def.prompt,
    default: "",
    validate: (text) => {
      if (text.trim() === "") return true;
      const decoded = decodeCloudId(text.trim());
      return typeof decoded === "string" ? `That ${decoded}` : true;
    },
  });
  return answer.trim() === "" ? undefined : answer.trim();
}

/** One input asked through the IoHost, checked by the registry's own rules (format) before the remote checks. */
import { coerce } from "../config/coerce.js";
import { questionCode } from "../config/prompt.js";
import { findInput, type InputDef } from "../config/registry.js";
import { checkValue } from "../config/validate.js";
import type { Choice } from "../io/io-host.js";
import type { WizardState } from "./state.js";

export interface AskExtra {
  why: string;
  /** Question code when not the input's own (`input.<key>`). */
  code?: string;
  message?: string;
  default?: string;
  /** More checks on the text, after the registry's (true, or what to change). */
  validate?: (text: string) => true | string;
  /** Accept an empty answer (the input stays unset). */
  optional?: boolean;
}

function def(key: string): InputDef {
  const d = findInput(key);
  if (!d) throw new Error(`wizard: no input ${key} in the registry`);
  return d;
}

function formatCheck(d: InputDef, text: string, extra: AskExtra): true | string {
  if (extra.optional && text.trim() === "") return true;
  const c = coerce(d, text.trim());
  if (!c.ok) return c.message;
  if (c.value === undefined || c.value === "") return "a value is needed";
  const invalid = checkValue(d, c.value);
  if (invalid) return invalid;
  return extra.validate ? extra.validate(text.trim()) : true;
}

/** Ask for a text (or number, list) input; sets it and returns the value (undefined when optional and empty). */
export async function askInput(state: WizardState, key: string, extra: AskExtra): Promise<unknown> {
  const d = def(key);
  const text = await state.io.ask({
    kind: "text",
    code: extra.code ?? questionCode(d),
    message: extra.message ?? d.prompt,
    why: extra.why,
    secret: d.secret,
    default: extra.default,
    validate: (t) => formatCheck(d, t, extra),
  });
  if (extra.optional && text.trim() === "") {
    state.unset(key);
    return undefined;
  }
  const c = coerce(d, text.trim());
  const value = c.ok ? c.value : text.trim();
  state.set(key, value);
  return value;
}

export async function askYesNo(state: WizardState, key: string, why: string): Promise<boolean> {
  const d = def(key);
  const current = state.get(key);
  const answer = await state.io.ask({
    kind: "confirm",
    code: questionCode(d),
    message: d.prompt,
    why,
    default: typeof current === "boolean" ? current : d.default === true,
  });
  state.set(key, answer);
  return answer;
}

/** A choice among the registry's values of an enum input, its default shown first. */
export async function askChoice(state: WizardState, key: string, why: string): Promise<string> {
  const d = def(key);
  const current = state.get(key);
  const answer = await state.io.ask({
    kind: "select",
    code: questionCode(d),
    message: d.prompt,
    why,
    choices: (d.choices ?? []).map((c): Choice => ({ value: c, name: c === d.default ? `${c} (default)` : c })),
    default: typeof current === "string" ? current : typeof d.default === "string" ? d.default : undefined,
  });
  state.set(key, answer);
  return answer;
}

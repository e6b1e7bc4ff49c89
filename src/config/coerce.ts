/**
 * Turn a raw value from a flag, an env var or the config file into the input's type. Strings from argv and the
 * environment are parsed; typed YAML values are accepted as they are. Validation proper is zod's (validate.ts).
 */
import type { InputDef } from "./registry.js";

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE = new Set(["true", "1", "yes", "on", "y"]);
const FALSE = new Set(["false", "0", "no", "off", "n"]);

export function coerce(def: InputDef, raw: unknown): Coerced {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  switch (def.type) {
    case "boolean": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      const s = String(raw).trim().toLowerCase();
      if (TRUE.has(s)) return { ok: true, value: true };
      if (FALSE.has(s)) return { ok: true, value: false };
      return { ok: false, message: "must be true or false" };
    }
    case "number": {
      if (typeof raw === "number") return { ok: true, value: raw };
      const s = String(raw).trim();
      const n = Number(s);
      if (s === "" || !Number.isFinite(n)) return { ok: false, message: "must be a number" };
      return { ok: true, value: n };
    }
    case "list": {
      const items = Array.isArray(raw) ? raw.map((v) => String(v)) : String(raw).split(",");
      const list = items.map((v) => v.trim()).filter((v) => v !== "");
      return { ok: true, value: list };
    }
    case "enum": {
      const s = String(raw).trim();
      // Accept any letter case ("azurecloud"), but keep the canonical spelling.
      const match = def.choices?.find((c) => c.toLowerCase() === s.toLowerCase());
      return { ok: true, value: match ?? s };
    }
    default: {
      if (typeof raw === "object") return { ok: false, message: "must be a single value, not a list or mapping" };
      // Secrets are kept byte for byte; other strings lose stray whitespace (a common copy-paste accident).
      return { ok: true, value: def.secret ? String(raw) : String(raw).trim() };
    }
  }
}

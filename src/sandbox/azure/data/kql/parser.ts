import type { Query } from "./ast.js";
import { KqlError } from "./types.js";
export function parseKql(text: string): Query {
  throw new KqlError(`not implemented yet: ${text}`, "UnsupportedError");
}

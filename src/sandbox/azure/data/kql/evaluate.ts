import type { Query } from "./ast.js";
import { parseKql } from "./parser.js";
import type { KqlContext, KqlTable } from "./types.js";
export function runKql(query: string | Query, ctx: KqlContext): KqlTable {
  const q = typeof query === "string" ? parseKql(query) : query;
  const t = ctx.table(q.source);
  return t ?? { columns: [], rows: [] };
}

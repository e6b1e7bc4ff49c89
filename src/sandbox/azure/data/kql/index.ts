/** The KQL subset engine: pure functions, no I/O. */
export type { KqlColumn, KqlContext, KqlRow, KqlTable, KqlType, KqlValue } from "./types.js";
export { KqlError, Timespan } from "./types.js";
export { parseKql } from "./parser.js";
export { runKql } from "./evaluate.js";

/**
 * PLACEHOLDER owned by the elastic engineer: replace with the real client. Throws until then, so nothing
 * can pretend to work.
 */
import type { ResolvedConfig } from "../config/schema.js";
import type { ClientOverrides } from "../engine/clients.js";
import { SentinelElasticError } from "../errors.js";

export async function createElasticsearchClient(_config: ResolvedConfig, _overrides: ClientOverrides): Promise<never> {
  throw new SentinelElasticError("the elastic client is not built yet", { code: "NOT_IMPLEMENTED" });
}

/** The clients the way back uses, from the engine's lazy clients. */
import type { StepContext } from "../../engine/types.js";
import type { ElasticsearchApi } from "../../elastic/client.js";
import type { FleetHttp } from "../../fleet/http.js";

export async function fleetHttp(ctx: Pick<StepContext, "clients">): Promise<FleetHttp> {
  return (await ctx.clients.kibana()).http;
}

export async function elasticsearch(ctx: Pick<StepContext, "clients">): Promise<Pick<ElasticsearchApi, "search">> {
  return ctx.clients.elasticsearch();
}

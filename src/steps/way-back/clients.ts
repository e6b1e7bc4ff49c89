/** The clients the way back uses, from the engine's lazy clients. */
import type { StepContext } from "../../engine/types.js";
import type { ElasticsearchApi } from "../../elastic/client.js";
import { createFleetApi, type FleetApi } from "../../fleet/client.js";
import type { FleetHttp } from "../../fleet/http.js";

export async function fleetHttp(ctx: Pick<StepContext, "clients">): Promise<FleetHttp> {
  return (await ctx.clients.kibana()).http;
}

/** The Fleet API over the run's Kibana client. */
export async function fleetApi(ctx: Pick<StepContext, "clients">): Promise<FleetApi> {
  return createFleetApi(await fleetHttp(ctx));
}

export async function elasticsearch(ctx: Pick<StepContext, "clients">): Promise<Pick<ElasticsearchApi, "search">> {
  return ctx.clients.elasticsearch();
}

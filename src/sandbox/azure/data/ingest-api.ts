import type { SandboxResponse } from "../../common/router.js";
import type { DataPlaneHost } from "./host.js";
import type { IngestRequest } from "./index.js";
import type { RowStore } from "./row-store.js";
export async function handleIngest(
  _host: DataPlaneHost,
  _rows: RowStore,
  _req: IngestRequest,
): Promise<SandboxResponse> {
  return { status: 501, body: { error: { code: "NotImplemented", message: "ingestion API pending" } } };
}

import type { SandboxResponse } from "../../common/router.js";
import type { DataPlaneHost } from "./host.js";
import type { QueryRequest } from "./index.js";
import type { RowStore } from "./row-store.js";
export async function handleQuery(_host: DataPlaneHost, _rows: RowStore, _req: QueryRequest): Promise<SandboxResponse> {
  return { status: 501, body: { error: { code: "NotImplemented", message: "query API pending" } } };
}

import type { DataPlaneHost } from "./host.js";
import type { RowStore } from "./row-store.js";
export function createAnalyticsEngine(_host: DataPlaneHost, _rows: RowStore) {
  return { start() {}, stop() {}, async runDue() {} };
}

/** Deterministic names of everything we create in Azure (docs/contracts.md, "Deterministic names"). */
export function azureNames(prefix: string) {
  return {
    caseSync: `${prefix}-case-sync`,
    caseGet: `${prefix}-case-get`,
    alertIngest: `${prefix}-alert-ingest`,
    connection: `${prefix}-azuresentinel`,
    dataCollectionRule: `${prefix}-alerts-dcr`,
    stream: "Custom-ElasticAlerts",
    deployments: { caseSync: `${prefix}-case-sync`, alertForwarding: `${prefix}-alert-forwarding` },
    /** Nested deployments our templates make in the workspace's resource group (templates/azure/*.json). */
    nestedDeployments: [
      `${prefix}-alerts-table`,
      `${prefix}-alerts-rule-nrt`,
      `${prefix}-alerts-rule-scheduled`,
      `${prefix}-case-sync-roles`,
    ],
  } as const;
}

export function azureTags(prefix: string): Record<string, string> {
  return { "managed-by": "sentinel-elastic", "sentinel-elastic-instance": prefix };
}

/** Built-in role definition ids (same in every tenant; azure-facts.md §1.5). */
export const roles = {
  sentinelResponder: "3e150937-b8fe-4cfb-8069-0eaf05ecd056",
  sentinelReader: "8d289c81-5878-46d4-8554-54e1e3d8b5cb",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;

export const roleNames: Record<string, string> = {
  [roles.sentinelResponder]: "Microsoft Sentinel Responder",
  [roles.sentinelReader]: "Microsoft Sentinel Reader",
  [roles.monitoringMetricsPublisher]: "Monitoring Metrics Publisher",
};

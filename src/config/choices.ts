/**
 * The enum values of the configuration, apart from the zod schema so that `--help` (which reads the registry)
 * does not have to load zod: importing zod costs about as much as starting Node itself.
 */
export const azureClouds = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"] as const;
export const azureCredentials = [
  "default",
  "cli",
  "environment",
  "device-code",
  "browser",
  "managed-identity",
] as const;
export const sentinelAuthorizations = ["managed-identity", "oauth"] as const;
/** Where the workspace's incidents are worked: detected (`auto`), the Defender portal, or the Azure portal. */
export const sentinelPortals = ["auto", "defender", "azure"] as const;
export const alertActions = ["summary", "per-alert"] as const;
/** How the alert connector authenticates to the alert-ingest Logic App (steps/azure/webhook-auth.ts). */
export const alertWebhookAuths = ["auto", "oauth2", "sas"] as const;
export const sentinelRuleKinds = ["nrt", "scheduled"] as const;
export const elasticSeverities = ["low", "medium", "high", "critical"] as const;
export const sentinelSeverities = ["Informational", "Low", "Medium", "High"] as const;
export const closureTypes = ["close-by-user", "close-by-pushing"] as const;

/**
 * The resolved configuration: what every command works from once flags, env, the config file, defaults and
 * prompts are merged and validated (config/load.ts). Frozen after validation.
 *
 * Each leaf here has exactly one entry in config/registry.ts (flag, env var, prompt, secret or not); a test
 * keeps the two in sync.
 */
import { z } from "zod";
import {
  azureClouds,
  azureCredentials,
  sentinelAuthorizations,
  alertActions,
  sentinelRuleKinds,
  elasticSeverities,
  sentinelSeverities,
  closureTypes,
} from "./choices.js";

/** Azure naming rules (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). */
export const patterns = {
  guid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  // Microsoft.Resources/resourcegroups: 1-90, alphanumerics, underscores, parentheses, hyphens, periods; can't end in period.
  resourceGroup: /^[-\w._()]{0,89}[-\w_()]$/u,
  // Microsoft.OperationalInsights/workspaces: 4-63, alphanumerics and hyphens, start and end with alphanumeric.
  workspace: /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/,
  // Azure region names as ARM returns them (e.g. westeurope, eastus2).
  location: /^[a-z][a-z0-9]{2,40}$/,
  // Our prefix ends up in Logic App, DCR, connector and rule names: keep it to what all of them accept.
  prefix: /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/,
  // Kibana space ids: lowercase letters, digits, underscores and hyphens.
  space: /^[a-z0-9_-]+$/,
  duration: /^[1-9][0-9]*[smhd]$/,
  // Custom Log Analytics tables for the Logs Ingestion API end in _CL; 4-63 characters.
  table: /^[A-Za-z][A-Za-z0-9_]{0,59}_CL$/,
} as const;

const url = z.url({ protocol: /^https?$/ });
// Azure endpoints carry bearer tokens: @azure/core-rest-pipeline refuses to send them over plain http
// ("Bearer token authentication is not permitted for non-TLS protected (non-https) URLs"), so say so at input time.
const httpsUrl = url.refine((v) => v.toLowerCase().startsWith("https://"), {
  message: "must be an https:// URL (Azure sends its tokens only over HTTPS)",
});

export {
  azureClouds,
  azureCredentials,
  sentinelAuthorizations,
  alertActions,
  sentinelRuleKinds,
  elasticSeverities,
  sentinelSeverities,
  closureTypes,
};

export const configSchema = z
  .object({
    elastic: z
      .object({
        kibanaUrl: url.optional(),
        elasticsearchUrl: url.optional(),
        cloudId: z.string().min(1).optional(),
        space: z.string().regex(patterns.space),
        apiKey: z.string().min(1).optional(),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        caCertFile: z.string().min(1).optional(),
      })
      .strict(),
    azure: z
      .object({
        cloud: z.enum(azureClouds),
        endpoints: z
          .object({
            resourceManager: httpsUrl.optional(),
            logAnalytics: httpsUrl.optional(),
            portal: url.optional(),
            graph: httpsUrl.optional(),
          })
          .strict(),
        tenantId: z.string().regex(patterns.guid).optional(),
        subscriptionId: z.string().regex(patterns.guid).optional(),
        resourceGroup: z.string().regex(patterns.resourceGroup).optional(),
        location: z.string().regex(patterns.location).optional(),
        caCertFile: z.string().min(1).optional(),
        credential: z.enum(azureCredentials),
      })
      .strict(),
    sentinel: z
      .object({
        workspaceName: z.string().regex(patterns.workspace).optional(),
        resourceGroup: z.string().regex(patterns.resourceGroup).optional(),
        authorization: z.enum(sentinelAuthorizations),
      })
      .strict(),
    features: z
      .object({
        caseSync: z.boolean(),
        alertForwarding: z.boolean(),
        sentinelToElastic: z.boolean(),
      })
      .strict(),
    rule: z
      .object({
        query: z.string().min(1),
        index: z.array(z.string().min(1)).optional(),
        interval: z.string().regex(patterns.duration),
        severity: z.enum(elasticSeverities),
        riskScore: z.number().int().min(0).max(100),
        sentinelKind: z.enum(sentinelRuleKinds),
      })
      .strict(),
    alerts: z
      .object({
        action: z.enum(alertActions),
        table: z.string().regex(patterns.table),
      })
      .strict(),
    cases: z
      .object({
        criticalSeverity: z.enum(sentinelSeverities),
        closureType: z.enum(closureTypes).optional(),
      })
      .strict(),
    naming: z.object({ prefix: z.string().regex(patterns.prefix) }).strict(),
    sentinelToElastic: z
      .object({
        tenantId: z.string().regex(patterns.guid).optional(),
        clientId: z.string().regex(patterns.guid).optional(),
        clientSecret: z.string().min(1).optional(),
        agentPolicyId: z.string().min(1).optional(),
        interval: z.string().regex(patterns.duration),
        eventHub: z
          .object({
            name: z.string().min(1).optional(),
            consumerGroup: z.string().min(1),
            connectionString: z.string().min(1).optional(),
            storageAccount: z.string().min(1).optional(),
            storageAccountKey: z.string().min(1).optional(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

export type ResolvedConfig = Readonly<z.infer<typeof configSchema>>;

/**
 * The resolved configuration: what every command works from once flags, env, the config file, defaults and
 * prompts are merged and validated (config/load.ts). Frozen after validation.
 *
 * Each leaf here has exactly one entry in config/registry.ts (flag, env var, prompt, secret or not); a test
 * keeps the two in sync.
 */
import { z } from "zod";
import {
  alertActions,
  alertWebhookAuths,
  azureClouds,
  azureCredentials,
  closureTypes,
  elasticSeverities,
  sentinelAuthorizations,
  sentinelPortals,
  sentinelRuleKinds,
  sentinelSeverities,
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
  // A detection rule's interval: Kibana's rule schedule model takes seconds, minutes or hours only
  // (elastic/kibana x-pack/solutions/security/plugins/security_solution/common/api/detection_engine/model/
  // rule_schema/rule_schedule.ts: `interval: TimeDuration({ allowedUnits: ['s', 'm', 'h'] })`).
  ruleInterval: /^[1-9][0-9]*[smh]$/,
  // Custom Log Analytics tables for the Logs Ingestion API end in _CL; 4-63 characters.
  table: /^[A-Za-z][A-Za-z0-9_]{0,59}_CL$/,
} as const;

const url = z.url({ protocol: /^https?$/ });

const parsed = (v: string): URL | undefined => {
  try {
    return new URL(v);
  } catch {
    return undefined;
  }
};
const withoutCredentials = (v: string) => {
  const u = parsed(v);
  return !u || (u.username === "" && u.password === "");
};
const withoutQuery = (v: string) => {
  const u = parsed(v);
  return !u || (u.search === "" && u.hash === "" && !v.includes("?") && !v.includes("#"));
};
/** A host a DNS name or an IP address can be (a stray quote or space pasted with the URL is not one). */
const plainHost = (v: string) => {
  const u = parsed(v);
  return (
    !u ||
    /^(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?)$/i.test(u.hostname)
  );
};
/**
 * Kibana's and Elasticsearch's URLs: API paths are appended to them, so a query string or fragment would end up
 * in the middle of every request; and credentials in the URL would be sent in clear to every log and proxy.
 */
const elasticUrl = (what: string) =>
  url
    .refine(withoutCredentials, {
      message:
        "must not contain a user name or password (user:password@…): give the URL without them, and the credentials in ELASTIC_API_KEY (or ELASTIC_USERNAME and ELASTIC_PASSWORD)",
    })
    .refine(plainHost, {
      message: "has a host name with characters no host name has (a stray quote or space?): check the URL as given",
    })
    .refine(withoutQuery, {
      message: `must not have a query string or fragment (?… or #…): give ${what}'s base URL, such as https://${what === "Kibana" ? "kibana.example.com:5601" : "es.example.com:9200"}`,
    });

/** A rule interval in milliseconds (the pattern above has already been checked). */
function intervalMs(v: string): number {
  const n = Number(v.slice(0, -1));
  return n * { s: 1_000, m: 60_000, h: 3_600_000 }[v.slice(-1) as "s" | "m" | "h"];
}
// Kibana's alerting refuses (or, by default, warns about) a rule scheduled more often than
// xpack.alerting.rules.minimumScheduleInterval, default 1m (elastic/kibana x-pack/plugins/alerting/server/config.ts;
// docs: https://www.elastic.co/guide/en/kibana/current/alert-action-settings-kb.html).
const MIN_RULE_INTERVAL_MS = 60_000;
const ruleInterval = z
  .string()
  .regex(patterns.ruleInterval)
  .refine((v) => !patterns.ruleInterval.test(v) || intervalMs(v) >= MIN_RULE_INTERVAL_MS, {
    message: "must be at least 1m (Kibana's minimum schedule interval for rules)",
  });
// Azure endpoints carry bearer tokens: @azure/core-rest-pipeline refuses to send them over plain http
// ("Bearer token authentication is not permitted for non-TLS protected (non-https) URLs"), so say so at input time.
const httpsUrl = url
  .refine(withoutCredentials, {
    message: "must not contain a user name or password (user:password@…): Azure signs in with --azure-credential",
  })
  .refine((v) => v.toLowerCase().startsWith("https://"), {
    message: "must be an https:// URL (Azure sends its tokens only over HTTPS)",
  });

export {
  azureClouds,
  azureCredentials,
  sentinelAuthorizations,
  sentinelPortals,
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
        kibanaUrl: elasticUrl("Kibana").optional(),
        elasticsearchUrl: elasticUrl("Elasticsearch").optional(),
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
            defenderPortal: url.optional(),
            graph: httpsUrl.optional(),
            login: httpsUrl.optional(),
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
        portal: z.enum(sentinelPortals),
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
        interval: ruleInterval,
        severity: z.enum(elasticSeverities),
        riskScore: z.number().int().min(0).max(100),
        sentinelKind: z.enum(sentinelRuleKinds),
      })
      .strict(),
    alerts: z
      .object({
        action: z.enum(alertActions),
        webhookAuth: z.enum(alertWebhookAuths),
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

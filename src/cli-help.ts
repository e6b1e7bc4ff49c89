/**
 * What `--help` shows per command: the examples first, then the command's own options, the common ones and the
 * inputs it reads, grouped (Elastic, Azure, features); endpoint overrides, CA files, naming and tuning are
 * "advanced" and shown with `--help-all` only. A command is given only the input flags it reads (teardown has no
 * rule flags: `--rule-query` there is a usage error, exit 3); env vars and config keys are read as before.
 */
import type { Command, Help } from "commander";
import type { InputDef } from "./config/registry.js";

export const HELP = {
  options: "Options:",
  common: "Common options:",
  elastic: "Elastic options:",
  azure: "Azure options:",
  features: "Feature options:",
  advanced: "Advanced options (--help-all):",
} as const;

/**
 * The inputs most runs give, by group; every other input (endpoint overrides, CA files, the cloud, rule tuning,
 * alert and case mapping, names, the way back's details) is "advanced": parsed always, listed with --help-all.
 */
const SHOWN: Record<string, readonly string[]> = {
  [HELP.elastic]: [
    "elastic.kibanaUrl",
    "elastic.elasticsearchUrl",
    "elastic.cloudId",
    "elastic.space",
    "elastic.username",
  ],
  [HELP.azure]: [
    "azure.tenantId",
    "azure.subscriptionId",
    "azure.resourceGroup",
    "azure.location",
    "azure.credential",
    "sentinel.workspaceName",
    "sentinel.resourceGroup",
  ],
  [HELP.features]: [
    "features.caseSync",
    "features.alertForwarding",
    "features.sentinelToElastic",
    "sentinel.authorization",
    "rule.query",
    "rule.sentinelKind",
  ],
};

export function helpGroupOf(def: Pick<InputDef, "key">): string {
  for (const [group, keys] of Object.entries(SHOWN)) if (keys.includes(def.key)) return group;
  return HELP.advanced;
}

/**
 * What teardown reads: where things are (Elastic, Azure, the workspace), which features were set up, the names
 * (prefix), the alerts table (--delete-data) and the way back's app registration (its role assignment). Not the
 * rule, the alert action, case mapping, the location, the Sentinel authorization or the Event Hub settings.
 */
const TEARDOWN_SKIPS =
  /^(rule\.|alerts\.action$|alerts\.webhookAuth$|azure\.endpoints\.login$|cases\.|azure\.location$|sentinel\.authorization$|sentinelToElastic\.(interval|eventHub\.))/;

export function commandReads(command: string, def: Pick<InputDef, "key">): boolean {
  if (command === "teardown") return !TEARDOWN_SKIPS.test(def.key);
  return true;
}

export interface HelpOptions {
  /** --help-all: every option, the advanced ones too. */
  all?: boolean;
}

/** Examples right after the description, before the option lists. */
export function helpWithExamples(cmd: Command, examples: string[] | undefined, helper: Help): string {
  const proto = Object.getPrototypeOf(helper) as Help;
  const base = proto.formatHelp.call(helper, cmd, helper);
  if (!examples?.length) return base;
  const block = `Examples:\n${examples.map((l) => `  $ ${l}`).join("\n")}\n\n`;
  // The description ends at the first blank line after "Usage:"; the option lists follow.
  const at = base.indexOf("\n\n", base.indexOf("\n\n") + 2);
  return at < 0 ? `${base}\n${block}` : `${base.slice(0, at + 2)}${block}${base.slice(at + 2)}`;
}

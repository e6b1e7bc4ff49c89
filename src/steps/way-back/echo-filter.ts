/**
 * The echo-loop filter: incidents and alerts we created in Sentinel from Elastic must not come back into
 * Elastic through the microsoft_sentinel integration.
 *
 * Why a Beats processor in the package policy (stream var `processors`) and not the data stream's
 * `logs-microsoft_sentinel.incident@custom` ingest pipeline:
 * 1. What we match on survives only before the integration's pipeline. The CEL program emits each incident as
 *    `message` = the API's JSON (data_stream/incident/agent/stream/cel.yml.hbs). The ingest pipeline
 *    (data_stream/incident/elasticsearch/ingest_pipeline/default.yml) renames `json.properties.labels.labelName`,
 *    which does not resolve through the labels *array*, then removes `json` — so labels are gone by the time
 *    `@custom` runs — and it removes `related_analytic_rule_ids` unless `preserve_duplicate_custom_fields`.
 *    The raw `message` always has both, whatever the package version does to its fields.
 * 2. It lives in the package policy we own: created, updated and deleted with it, by one Fleet API, for agents
 *    and agentless alike, with no Elasticsearch privilege (`manage_pipeline`) and nothing left behind.
 * 3. Dropped in the agent, the events are never shipped or indexed.
 * The cost is matching a JSON string with a regular expression; the patterns are anchored on the JSON keys
 * (`"labelName":`, `/alertRules/<guid>"`, `"title":`) and tested against sample incidents (test/way-back).
 * Patterns use the common subset of Go RE2 (what libbeat's `regexp` condition runs) and JavaScript regexps.
 */
import mustache from "mustache";
import { ALERT_TITLE_PREFIX, analyticsRuleName, CASE_LABEL } from "../../names.js";
import { readFleetTemplate } from "./templates.js";

export interface EchoFilterInputs {
  /** ARM id of the workspace (part of our analytics rule's name). */
  workspaceId: string;
  prefix: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function render(file: string, view: Record<string, string>): string {
  const text = mustache.render(readFleetTemplate(file), view);
  // The header comment explains the file; the policy gets only the processors.
  return `${text
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .trim()}\n`;
}

function view(inputs: EchoFilterInputs): Record<string, string> {
  return {
    labelPattern: escapeRegex(CASE_LABEL),
    rulePattern: escapeRegex(analyticsRuleName(inputs.workspaceId, inputs.prefix)),
    titlePattern: escapeRegex(ALERT_TITLE_PREFIX),
  };
}

/** YAML for the incident stream's `processors` var. */
export function incidentEchoFilter(inputs: EchoFilterInputs): string {
  return render("echo-filter-incident.yml", view(inputs));
}

/** YAML for the alert stream's `processors` var. */
export function alertEchoFilter(inputs: EchoFilterInputs): string {
  return render("echo-filter-alert.yml", view(inputs));
}

/**
 * Loads the JSON templates under templates/kibana. `src/kibana` and `dist/kibana` are both two levels below
 * the package root, so the same relative URL works from source and from the build.
 */
import { readFileSync } from "node:fs";

const cache = new Map<string, unknown>();

export function loadKibanaTemplate<T>(name: string): T {
  if (!cache.has(name)) {
    const url = new URL(`../../templates/kibana/${name}`, import.meta.url);
    cache.set(name, JSON.parse(readFileSync(url, "utf8")));
  }
  return structuredClone(cache.get(name)) as T;
}

export interface CasesWebhookTemplate {
  createIncidentJson: string;
  createIncidentResponseKey: string;
  getIncidentUrlSuffix: string;
  getIncidentResponseExternalTitleKey: string;
  updateIncidentJson: string;
  createCommentJson: string;
  viewIncidentPath: string;
  headers: Record<string, string>;
}

export interface AlertActionBodyTemplate {
  summary: string;
  "per-alert": string;
}

export interface DetectionRuleTemplate {
  type: "query";
  language: "kuery";
  name: string;
  description: string;
  tags: string[];
  enabled: boolean;
  max_signals: number;
  defaultIndex: string[];
}

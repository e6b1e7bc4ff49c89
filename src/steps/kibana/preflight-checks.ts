/**
 * The individual preflight checks. Each throws the typed error a user can act on, with the exit code the
 * foundation defines (4 for credentials/privileges, 5 for version/licence/alerting).
 */
import type { ResolvedConfig } from "../../config/schema.js";
import type { ElasticsearchApi } from "../../elastic/client.js";
import { AuthError, InputError, PreconditionError } from "../../errors.js";
import type { KibanaApi } from "../../kibana/client.js";
import { notKibana } from "../../kibana/http-errors.js";
import { kqlSyntaxProblem } from "../../kibana/kql-check.js";
import { CASES_WEBHOOK, WEBHOOK } from "../../kibana/connector-bodies.js";
import { ruleIndices } from "../../kibana/rule-body.js";
import { TEST_DATA_STREAM } from "../../names.js";
import type { KibanaStatus } from "../../kibana/status.js";
import { MINIMUM_KIBANA_VERSION, parseVersion, versionAtLeast } from "../../kibana/version.js";
import type { StackInfo } from "./stack.js";

/** The rule's query, checked before any change (Kibana itself only fails when the rule runs). */
export function checkRuleQuery(config: Pick<ResolvedConfig, "features" | "rule">): void {
  if (!config.features.alertForwarding) return;
  const problem = kqlSyntaxProblem(config.rule.query);
  if (problem) {
    throw new InputError(`The detection rule query is not valid KQL: ${problem}.`, {
      code: "RULE_QUERY_INVALID",
      suggestion:
        "Fix --rule-query (SENTINEL_ELASTIC_RULE_QUERY, rule.query); try it first in Kibana's Discover search bar.",
      problems: [
        { key: "rule.query", message: problem, where: "--rule-query, SENTINEL_ELASTIC_RULE_QUERY or rule.query" },
      ],
    });
  }
}

/** Reachable, credentials valid, really Kibana, and new enough. */
export async function checkKibanaVersion(kibana: KibanaApi): Promise<StackInfo> {
  // A wrong URL, TLS problem, timeout or 401 surfaces here through the client's error mapping.
  const status: KibanaStatus = await kibana.getStatus();
  if (!status || typeof status !== "object" || (!status.version && !status.status)) {
    throw notKibana(kibana.baseUrl, "GET /api/status did not return Kibana's status document");
  }
  const version = status.version?.number;
  if (!version || !parseVersion(version)) {
    throw new AuthError(
      "Kibana answered only its redacted status: the credentials were not accepted for /api/status.",
      {
        code: "KIBANA_STATUS_REDACTED",
        suggestion: "Check the API key or username/password; the user needs to be able to log in to Kibana.",
      },
    );
  }
  if (!versionAtLeast(version, MINIMUM_KIBANA_VERSION)) {
    throw new PreconditionError(
      `Kibana ${version} is too old: 8.11 or newer is needed, because the case connector's templates use case.id, case.severity and case.status, which older versions do not send (kibana PR #166295).`,
      {
        code: "KIBANA_VERSION_UNSUPPORTED",
        suggestion: "Upgrade the Elastic Stack to 8.11 or newer.",
        details: { version },
      },
    );
  }
  return { version, buildFlavor: status.version?.build_flavor, baseUrl: kibana.baseUrl, space: kibana.space };
}

export async function checkSpace(kibana: KibanaApi): Promise<void> {
  if (kibana.space === "default") return;
  if (!(await kibana.spaceExists(kibana.space))) {
    throw new PreconditionError(`The Kibana space '${kibana.space}' does not exist.`, {
      code: "KIBANA_SPACE_NOT_FOUND",
      suggestion: "Create it in Stack Management → Spaces, or set --space / KIBANA_SPACE to an existing space id.",
    });
  }
}

/** `.cases-webhook` and `.webhook` need a gold licence (https://www.elastic.co/subscriptions); connector_types says whether they are usable. */
export async function checkConnectorLicences(
  kibana: KibanaApi,
  config: Pick<ResolvedConfig, "features">,
): Promise<void> {
  const needed = [
    ...(config.features.caseSync ? [CASES_WEBHOOK] : []),
    ...(config.features.alertForwarding ? [WEBHOOK] : []),
  ];
  if (!needed.length) return;
  const types = await kibana.listConnectorTypes();
  for (const id of needed) {
    const t = types.find((x) => x.id === id);
    if (!t) {
      throw new PreconditionError(`Kibana does not offer the ${id} connector type.`, {
        code: "KIBANA_CONNECTOR_TYPE_MISSING",
        suggestion:
          "Use a Kibana with the stack connectors plugin (8.11+, not a serverless project without connectors).",
      });
    }
    if (!t.enabled_in_config) {
      throw new PreconditionError(`The ${id} connector type is disabled in kibana.yml.`, {
        code: "KIBANA_CONNECTOR_TYPE_DISABLED",
        suggestion: `Add ${id} to xpack.actions.enabledActionTypes in kibana.yml (or remove the setting) and restart Kibana.`,
      });
    }
    if (!t.enabled_in_license) {
      const licence = t.minimum_license_required || "gold";
      const current = (await kibana.getLicensingInfo().catch(() => undefined))?.license;
      const have = current?.type
        ? current.status && current.status !== "active"
          ? `this cluster's ${current.type} licence is ${current.status}`
          : `this cluster has a ${current.type} licence`
        : "this cluster's licence does not allow it";
      throw new PreconditionError(
        `The ${t.name || id} connector (${id}) needs a ${licence} licence or higher; ${have}.`,
        {
          code: "KIBANA_LICENSE_INSUFFICIENT",
          suggestion: `Upgrade to a ${licence} (or higher) licence, or start a trial: POST /_license/start_trial?acknowledge=true.`,
          details: { connectorType: id, minimumLicense: licence },
        },
      );
    }
  }
}

/**
 * `GET /api/alerting/_health`: without a permanent encryption key rules and connectors cannot run
 * (https://www.elastic.co/docs/explore-analyze/alerting/alerts/alerting-setup), and without TLS/API keys Kibana cannot create the keys rules run with.
 */
export async function checkAlertingHealth(kibana: KibanaApi): Promise<string[]> {
  const h = await kibana.getAlertingHealth();
  if (h.has_permanent_encryption_key === false) {
    throw new PreconditionError(
      "Kibana has no permanent encryption key, so it cannot store connector secrets or run rules.",
      {
        code: "KIBANA_NO_ENCRYPTION_KEY",
        suggestion:
          "Set xpack.encryptedSavedObjects.encryptionKey (32+ characters) in kibana.yml and restart Kibana (`bin/kibana-encryption-keys generate`).",
      },
    );
  }
  if (h.is_sufficiently_secure === false) {
    throw new PreconditionError(
      "Kibana alerting is not sufficiently secure: API keys (and TLS to Elasticsearch) are required for rules.",
      {
        code: "KIBANA_ALERTING_INSECURE",
        suggestion: "Enable xpack.security.authc.api_key.enabled and TLS on the Elasticsearch HTTP layer.",
      },
    );
  }
  const health = h.alerting_framework_health ?? h.alerting_framework_heath ?? {};
  return Object.entries(health)
    .filter(([, v]) => v?.status && v.status !== "ok")
    .map(([k, v]) => `alerting ${k.replace(/_/g, " ")} is ${v.status}`);
}

/** Kibana registers its privileges in ES under this application (the default `kibana.index` is `.kibana`). */
export const KIBANA_APPLICATION = "kibana-.kibana";

/**
 * Kibana feature privileges, checked with ES `_has_privileges` (ES docs: security-api-has-privileges; Kibana
 * registers `feature_<id>.<privilege>` application privileges). Feature ids were versioned as features were
 * split (siem → siemV2 → siemV3, securitySolutionCases → V2 → V3 in 8.18/9.x), so any of the names counts.
 */
export const KIBANA_PRIVILEGE_AREAS = [
  { area: "connectors", label: "Actions and Connectors: All", any: ["feature_actions.all"] },
  {
    area: "cases",
    label: "Security → Cases: All",
    any: [
      "feature_securitySolutionCases.all",
      "feature_securitySolutionCasesV2.all",
      "feature_securitySolutionCasesV3.all",
    ],
  },
  {
    area: "detection rules",
    label: "Security → Rules (Security: All)",
    any: ["feature_siem.all", "feature_siemV2.all", "feature_siemV3.all"],
  },
] as const;

export async function checkPrivileges(
  es: ElasticsearchApi,
  space: string,
  config: Pick<ResolvedConfig, "features" | "rule">,
): Promise<{ username: string; warnings: string[] }> {
  const areas = KIBANA_PRIVILEGE_AREAS.filter(
    (a) => a.area !== "detection rules" || config.features.alertForwarding,
  ).filter((a) => a.area !== "cases" || config.features.caseSync);
  const resource = `space:${space}`;
  // Rules run with the API key of whoever last saved them, so that user needs read on the rule's indices
  // (https://www.elastic.co/docs/explore-analyze/alerting/alerts/alerting-setup). Exclusions ("-pattern") are not indices.
  const ruleIndexNames = config.features.alertForwarding ? ruleIndices(config).filter((i) => !i.startsWith("-")) : [];
  const res = await es.hasPrivileges({
    application: [
      { application: KIBANA_APPLICATION, resources: [resource], privileges: areas.flatMap((a) => [...a.any]) },
    ],
    ...(config.features.alertForwarding
      ? {
          index: [
            { names: [TEST_DATA_STREAM], privileges: ["create_doc"] },
            { names: ruleIndexNames, privileges: ["read"] },
          ],
        }
      : {}),
  });
  const granted = res.application?.[KIBANA_APPLICATION]?.[resource] ?? {};
  const missing = areas.filter((a) => !a.any.some((p) => granted[p]));
  const indexOk = !config.features.alertForwarding || res.index?.[TEST_DATA_STREAM]?.create_doc !== false;
  if (missing.length || !indexOk) {
    const what = [
      ...missing.map((a) => `${a.label} (${a.area})`),
      ...(indexOk ? [] : [`create_doc on ${TEST_DATA_STREAM} (the test document)`]),
    ];
    throw new AuthError(`The Elastic user ${res.username} lacks privileges in space '${space}': ${what.join("; ")}.`, {
      code: "ELASTIC_PRIVILEGES_MISSING",
      suggestion:
        "Give the user (or the API key's role descriptors) these Kibana feature privileges in the space, and the index privilege, then re-run.",
      details: { missing: what },
    });
  }
  const unreadable = ruleIndexNames.filter((i) => res.index?.[i]?.read === false);
  const warnings = unreadable.length
    ? [
        `${res.username} cannot read ${unreadable.join(", ")}: the rule runs with this user's key and will not see those indices`,
      ]
    : [];
  return { username: res.username, warnings };
}

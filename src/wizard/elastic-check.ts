/**
 * The Elastic answers checked the moment they are given, with the preflight's own checks: Kibana reachable and
 * really Kibana, the credentials accepted, the version supported, the licence allowing the webhook connectors,
 * Elasticsearch reachable with the same credentials. A failure says which answer to ask again.
 */
import type { ResolvedConfig } from "../config/schema.js";
import type { ElasticsearchApi } from "../elastic/client.js";
import { AuthError, PreconditionError } from "../errors.js";
import type { KibanaApi } from "../kibana/client.js";
import { checkConnectorLicences, checkKibanaVersion } from "../steps/kibana/preflight-checks.js";
import type { WizardState } from "./state.js";

/** Which answer a failed check puts in doubt. */
export type ElasticWrong = "kibanaUrl" | "elasticsearchUrl" | "credentials" | "cluster";

export type ElasticVerdict =
  | { ok: true; kibana: KibanaApi; summary: string }
  | { ok: false; wrong: ElasticWrong; error: unknown };

/** One try, a short timeout: a person is waiting, and a wrong URL should come back in seconds, not minutes. */
const QUICK = { retry: { maxAttempts: 1, maxTimeoutAttempts: 1 }, timeoutMs: 15_000 };

export function elasticConfig(state: WizardState, space = "default"): ResolvedConfig {
  return {
    elastic: {
      kibanaUrl: state.str("elastic.kibanaUrl"),
      elasticsearchUrl: state.str("elastic.elasticsearchUrl"),
      apiKey: state.str("elastic.apiKey"),
      username: state.str("elastic.username"),
      password: state.str("elastic.password"),
      caCertFile: state.str("elastic.caCertFile"),
      space,
    },
  } as unknown as ResolvedConfig;
}

/** The Kibana client the wizard reads with (spaces), quick to fail. */
export async function wizardKibana(state: WizardState, space = "default"): Promise<KibanaApi> {
  const { createKibanaClient } = await import("../kibana/client.js");
  return createKibanaClient(elasticConfig(state, space), state.options.overrides, QUICK);
}

function features(state: WizardState) {
  return {
    caseSync: state.get("features.caseSync") !== false,
    alertForwarding: state.get("features.alertForwarding") !== false,
    sentinelToElastic: state.get("features.sentinelToElastic") === true,
  } as ResolvedConfig["features"];
}

export async function checkElastic(state: WizardState): Promise<ElasticVerdict> {
  let kibana: KibanaApi;
  let version: string;
  try {
    kibana = await wizardKibana(state);
    version = (await checkKibanaVersion(kibana)).version;
  } catch (error) {
    const wrong =
      error instanceof AuthError ? "credentials" : error instanceof PreconditionError ? "cluster" : "kibanaUrl";
    return { ok: false, wrong, error };
  }
  try {
    await checkConnectorLicences(kibana, { features: features(state) });
  } catch (error) {
    return { ok: false, wrong: error instanceof AuthError ? "credentials" : "cluster", error };
  }
  let who: string;
  try {
    const { createElasticsearchClient } = await import("../elastic/client.js");
    const es: ElasticsearchApi = await createElasticsearchClient(elasticConfig(state), state.options.overrides, {
      requestTimeoutMs: QUICK.timeoutMs,
    });
    try {
      who = (await es.authenticate()).username;
    } finally {
      await es.close().catch(() => {});
    }
  } catch (error) {
    return { ok: false, wrong: error instanceof AuthError ? "credentials" : "elasticsearchUrl", error };
  }
  return { ok: true, kibana, summary: `Kibana ${version} at ${kibana.baseUrl}, signed in as ${who}` };
}

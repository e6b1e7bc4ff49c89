/**
 * Public API of the local Kibana + Elasticsearch emulators.
 *
 * ```ts
 * const sb = await startElasticSandbox({ kibanaVersion: "8.17.0", license: "platinum", spaces: ["default", "soc"] });
 * // Kibana: `${sb.kibanaUrl}/s/soc/api/...` with `Authorization: ApiKey ${sb.apiKey}` and `kbn-xsrf` on writes
 * // ES:     new Client({ node: sb.elasticsearchUrl, auth: { apiKey: sb.apiKey } })
 * //         (an 8.x sandbox refuses the v9 client's default compatible-with=9 headers, like a real 8.x)
 * sb.state.indexDocument("logs-app-default", { "@timestamp": new Date(sb.clock.now()).toISOString(), ... });
 * await sb.state.runRulesNow();        // or: await sb.clock.advance(5 * 60_000)
 * sb.state.alerts("default");          // alert documents written by the rules
 * sb.faults.set({ routes: [{ match: "POST /api/cases", times: 1, kinds: [503] }] });
 * await sb.stop();
 * ```
 * Outgoing connector / action HTTP goes only to `allowedHosts` (default: loopback).
 */
export { type ElasticSandbox, type ElasticSandboxOptions, startElasticSandbox } from "./sandbox.js";
export type { ElasticSandboxState } from "./state.js";
export type { ApplicationPrivilegeGrant, IndexPrivilegeGrant, RoleGrant } from "./auth.js";
export type { LicenseType, OutgoingCall } from "./context.js";
export type { ActionRunSummary, RuleRunResult } from "./kibana/rules/scheduler.js";
export type { FleetEmulator, FleetEmulatorOptions } from "../elastic-fleet/index.js";

/**
 * `verify` for the way back: the package policy exists, is enabled and assigned (an agent enrolled in its
 * agent policy, or agentless), Sentinel incidents arrive in `logs-microsoft_sentinel.incident-*`, and none of
 * them is one of ours (the echo filter works).
 */
import type { Check, StepContext } from "../../engine/types.js";
import { elasticsearch, fleetApi } from "./clients.js";
import { wayBackInputs } from "./context.js";
import {
  ALERT_TITLE_PREFIX,
  analyticsRuleId,
  CASE_LABEL,
  INCIDENT_INDEX_PATTERN,
  packagePolicyName,
} from "../../names.js";

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared" | "now" | "sleep">;

/** How long verify waits for the first incidents to arrive, and how often it looks. */
const FIRST_POLL_WAIT_MS = 90_000;
const FIRST_POLL_PAUSE_MS = 5_000;

/** Documents of incidents we created, as the integration's pipeline maps them. */
export function ourIncidentsQuery(workspaceId: string, prefix: string): Record<string, unknown> {
  return {
    bool: {
      should: [
        { prefix: { "microsoft_sentinel.incident.properties.title": ALERT_TITLE_PREFIX } },
        { term: { "rule.id": analyticsRuleId(workspaceId, prefix) } },
        { term: { "microsoft_sentinel.incident.properties.labels.name": CASE_LABEL } },
      ],
      minimum_should_match: 1,
    },
  };
}

export async function verifyPackagePolicy(ctx: Ctx): Promise<Check[]> {
  const started = ctx.now();
  const { prefix, workspace } = wayBackInputs(ctx);
  const fleet = await fleetApi(ctx);
  const name = packagePolicyName(prefix);
  const policy = await fleet.findPackagePolicyByName(name);
  const checks: Check[] = [];
  const took = () => ctx.now() - started;
  if (!policy) {
    checks.push({
      id: "way-back.package-policy",
      title: `Package policy ${name} exists`,
      status: "fail",
      durationMs: took(),
      cause: "the package policy is missing",
      remedy: "sentinel-elastic setup --sentinel-to-elastic",
    });
    return checks;
  }
  checks.push({
    id: "way-back.package-policy",
    title: `Package policy ${name} exists and is enabled`,
    status: policy.enabled === false ? "fail" : "pass",
    evidence: `package policy ${policy.id}, microsoft_sentinel ${policy.package.version}`,
    durationMs: took(),
    ...(policy.enabled === false
      ? { cause: "the package policy is disabled", remedy: "enable it in Fleet, or re-run setup" }
      : {}),
  });
  let running = false;
  if (policy.supports_agentless) {
    running = true;
    checks.push({
      id: "way-back.assigned",
      title: "The integration is assigned",
      status: "pass",
      evidence: "agentless",
    });
  } else {
    const agentPolicies = await Promise.all(policy.policy_ids.map((id) => fleet.getAgentPolicy(id)));
    const agents = agentPolicies.reduce((n, p) => n + (p?.agents ?? 0), 0);
    running = agents > 0;
    checks.push({
      id: "way-back.assigned",
      title: "The integration is assigned to an agent policy with an enrolled agent",
      status: policy.policy_ids.length === 0 ? "fail" : agents > 0 ? "pass" : "warn",
      evidence: `agent policies ${policy.policy_ids.join(", ") || "none"}; ${agents} agent(s) enrolled`,
      durationMs: took(),
      ...(agents > 0
        ? {}
        : {
            cause: policy.policy_ids.length
              ? "no Elastic Agent is enrolled in the agent policy"
              : "the package policy is on no agent policy",
            remedy: `Fleet → Agents → Add agent, policy ${agentPolicies[0]?.name ?? policy.policy_ids[0] ?? "(re-run setup)"}`,
          }),
    });
  }
  if (!running) {
    checks.push({
      id: "way-back.incidents-arriving",
      title: "Sentinel incidents arrive in Elastic",
      status: "skip",
      evidence: "no agent yet",
    });
    return checks;
  }
  const es = await elasticsearch(ctx);
  const ours = ourIncidentsQuery(workspace.id, prefix);
  const read = () =>
    Promise.all([
      es.search<{ "@timestamp"?: string }>(
        INCIDENT_INDEX_PATTERN,
        { bool: { must_not: [ours] } },
        { size: 1, sort: [{ "@timestamp": "desc" }] },
      ),
      es.search(INCIDENT_INDEX_PATTERN, ours, { size: 1 }),
    ]);
  let [others, echoed] = await read();
  // The agent polls Sentinel at once and then every interval, and the integration's Reader role takes a while to
  // propagate: right after setup the first incidents may be a poll away. Wait a little for them (ctx.sleep, which
  // stops on Ctrl-C) before calling it a warning; a workspace may also have no incident at all.
  for (let waited = 0; others.length === 0 && waited < FIRST_POLL_WAIT_MS; waited += FIRST_POLL_PAUSE_MS) {
    await ctx.sleep(FIRST_POLL_PAUSE_MS);
    [others, echoed] = await read();
  }
  checks.push({
    id: "way-back.incidents-arriving",
    title: "Sentinel incidents arrive in logs-microsoft_sentinel.incident-*",
    status: others.length > 0 ? "pass" : "warn",
    evidence: others.length > 0 ? `newest ${others[0]!._source?.["@timestamp"] ?? others[0]!._id}` : "no incidents yet",
    durationMs: took(),
    ...(others.length > 0
      ? {}
      : {
          cause:
            "the agent has not collected any incident yet (the first poll runs after the interval), or Sentinel has none",
          remedy: "Check the agent's status in Fleet and re-run verify after the polling interval",
        }),
  });
  checks.push({
    id: "way-back.no-echo",
    title: "No incident we created in Sentinel came back into Elastic",
    status: echoed.length === 0 ? "pass" : "fail",
    evidence: echoed.length === 0 ? "none found" : `document ${echoed[0]!._id}`,
    durationMs: took(),
    ...(echoed.length === 0
      ? {}
      : {
          cause: "the echo filter in the package policy is missing or changed",
          remedy: "re-run setup to restore the package policy's processors",
        }),
  });
  return checks;
}

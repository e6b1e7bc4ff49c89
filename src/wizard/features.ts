/**
 * Section 4, Features: case sync, alert forwarding and the way back (Sentinel into Elastic), each with its own few
 * questions, defaults shown. Inputs given by flag, environment or config file are not asked again.
 */
import { kqlSyntaxProblem } from "../kibana/kql-check.js";
import { askChoice, askInput, askYesNo } from "./ask.js";
import type { WizardState } from "./state.js";

async function feature(state: WizardState, key: string, why: string): Promise<boolean> {
  if (state.given(key)) return state.get(key) === true;
  return askYesNo(state, key, why);
}

export async function featuresSection(state: WizardState): Promise<void> {
  const caseSync = await feature(
    state,
    "features.caseSync",
    "A Kibana case pushed to Sentinel becomes an incident there, and later pushes update it.",
  );
  if (caseSync && !state.given("sentinel.authorization"))
    await askChoice(
      state,
      "sentinel.authorization",
      "How the case Logic App acts on Sentinel: its managed identity (a role assignment, no portal click) or an OAuth connection a person authorises once.",
    );
  const alerts = await feature(
    state,
    "features.alertForwarding",
    "Elastic detection alerts are sent to the ElasticAlerts_CL table, where a Sentinel rule raises incidents.",
  );
  if (alerts && !state.given("rule.query"))
    await askInput(state, "rule.query", {
      why: "The detection rule whose alerts are forwarded; setup writes a test document that matches the default.",
      default: String(state.get("rule.query") ?? "message:malware"),
      validate: (q) => {
        const problem = kqlSyntaxProblem(q);
        return problem ? `not valid KQL: ${problem}` : true;
      },
    });
  const wayBack = await feature(
    state,
    "features.sentinelToElastic",
    "Sentinel's alerts and incidents come back into Elastic through the microsoft_sentinel integration.",
  );
  if (wayBack) {
    if (!state.str("sentinelToElastic.clientId"))
      await askInput(state, "sentinelToElastic.clientId", {
        why: "The integration reads Sentinel as an app registration of yours (Entra ID → App registrations → its client id).",
      });
    if (!state.str("sentinelToElastic.clientSecret"))
      await askInput(state, "sentinelToElastic.clientSecret", {
        why: "Its secret is stored only in the integration's secret settings in Kibana, never in a file we write.",
      });
  }
}

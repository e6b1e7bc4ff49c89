/**
 * Section 1, Elastic: where the cluster is (a Cloud ID, or the Kibana and Elasticsearch URLs), the credentials,
 * checked at once; then the Kibana space, chosen from those the credentials can see.
 */
import { decodeCloudId } from "../config/cloud-id.js";
import { questionCode } from "../config/prompt.js";
import { findInput } from "../config/registry.js";
import type { KibanaApi } from "../kibana/client.js";
import { askInput } from "./ask.js";
import { checkElastic } from "./elastic-check.js";
import { MAX_TRIES, type WizardState } from "./state.js";

const URL_KEYS = ["elastic.cloudId", "elastic.kibanaUrl", "elastic.elasticsearchUrl"];
const CREDENTIAL_KEYS = ["elastic.apiKey", "elastic.username", "elastic.password"];

async function askWhere(state: WizardState): Promise<void> {
  if (state.str("elastic.kibanaUrl") && state.str("elastic.elasticsearchUrl")) return;
  if (!state.str("elastic.cloudId") && !state.str("elastic.kibanaUrl") && !state.offered.has("elastic.cloudId")) {
    state.offered.add("elastic.cloudId");
    const cloudId = await askInput(state, "elastic.cloudId", {
      why: "On Elastic Cloud, the Cloud ID (deployment page) gives both addresses at once.",
      optional: true,
      validate: (t) => {
        const decoded = decodeCloudId(t);
        return typeof decoded === "string" ? `That ${decoded}` : true;
      },
    });
    if (typeof cloudId === "string") {
      const urls = decodeCloudId(cloudId);
      if (typeof urls !== "string") {
        state.values["elastic.kibanaUrl"] = urls.kibanaUrl;
        state.sources["elastic.kibanaUrl"] = "cloud-id";
        state.values["elastic.elasticsearchUrl"] = urls.elasticsearchUrl;
        state.sources["elastic.elasticsearchUrl"] = "cloud-id";
        return;
      }
    }
  }
  if (!state.str("elastic.kibanaUrl"))
    await askInput(state, "elastic.kibanaUrl", {
      why: "The connectors, case settings and detection rule are created through Kibana's API.",
      message: "Kibana URL (https://…, the address before /app)",
    });
  if (!state.str("elastic.elasticsearchUrl"))
    await askInput(state, "elastic.elasticsearchUrl", {
      why: "Setup writes a test document and reads alerts from Elasticsearch.",
    });
}

async function askCredentials(state: WizardState): Promise<void> {
  if (state.str("elastic.apiKey") || (state.str("elastic.username") && state.str("elastic.password"))) return;
  const key = await askInput(state, "elastic.apiKey", {
    why: "Kibana and Elasticsearch are called with it (Stack Management → API keys; the encoded value). Empty: a username and password instead.",
    message: "Elastic API key (empty: use a username and password)",
    optional: true,
  });
  if (key !== undefined) return;
  await askInput(state, "elastic.username", { why: "Used with the password instead of an API key." });
  await askInput(state, "elastic.password", { why: "The password of that user." });
}

/** Ask until the cluster answers, the credentials work and it is new and licensed enough; returns the client. */
async function connect(state: WizardState): Promise<KibanaApi> {
  for (let attempt = 1; ; attempt++) {
    await askWhere(state);
    await askCredentials(state);
    const progress = state.io.progress("Checking Kibana and Elasticsearch");
    const verdict = await checkElastic(state);
    if (verdict.ok) {
      progress.succeed(verdict.summary);
      return verdict.kibana;
    }
    progress.fail("The Elastic answers did not work");
    if (attempt >= MAX_TRIES) throw verdict.error;
    state.problem(verdict.error);
    switch (verdict.wrong) {
      case "credentials":
        state.io.message("info", "Asking for the credentials again.");
        state.unset(...CREDENTIAL_KEYS);
        break;
      case "elasticsearchUrl":
        state.io.message("info", "Asking for the Elasticsearch URL again.");
        if (state.str("elastic.cloudId")) state.unset("elastic.cloudId", "elastic.kibanaUrl");
        state.unset("elastic.elasticsearchUrl");
        break;
      case "cluster":
        state.io.message(
          "info",
          "This cluster cannot be used as it is: give another one, or fix it and give it again.",
        );
        state.offered.delete("elastic.cloudId");
        state.unset(...URL_KEYS);
        break;
      default:
        state.io.message("info", "Asking for the Kibana URL again.");
        if (state.str("elastic.cloudId")) state.offered.delete("elastic.cloudId");
        state.unset("elastic.kibanaUrl", "elastic.cloudId");
    }
  }
}

async function chooseSpace(state: WizardState, kibana: KibanaApi): Promise<void> {
  const spaces = await state.listOr("the Kibana spaces", () => kibana.listSpaces());
  const given = state.given("elastic.space") ? state.str("elastic.space") : undefined;
  if (given && spaces.some((s) => s.id === given)) return;
  if (given) state.io.message("warn", `The Kibana space '${given}' does not exist or these credentials cannot see it.`);
  if (given && spaces.length === 0) return;
  if (!given && spaces.length === 1) {
    state.set("elastic.space", spaces[0]!.id);
    state.io.message("info", `Kibana space: ${spaces[0]!.id} (the only one these credentials can use)`);
    return;
  }
  const ids = new Set(spaces.map((s) => s.id));
  const answer = await state.io.ask({
    kind: "search",
    code: questionCode(findInput("elastic.space")!),
    message: "Kibana space",
    why: "The connectors, case settings and rule live in one space; its analysts see the cases and alerts.",
    choices: spaces.map((s) => ({ value: s.id, name: s.name === s.id ? s.id : `${s.name} (${s.id})` })),
    default: ids.has("default") || ids.size === 0 ? "default" : spaces[0]?.id,
    validate: (v) =>
      ids.has(v) || (ids.size === 0 && /^[a-z0-9_-]+$/.test(v))
        ? true
        : `no space '${v}' that these credentials can use; choose one of the list (space ids)`,
  });
  state.set("elastic.space", answer);
}

export async function elasticSection(state: WizardState): Promise<void> {
  const kibana = await connect(state);
  await chooseSpace(state, kibana);
}

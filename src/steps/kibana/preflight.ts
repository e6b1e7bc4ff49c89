/**
 * Kibana preflight: before anything changes, prove that Kibana and Elasticsearch are reachable with the
 * given credentials, that the stack is new enough and licensed for our connectors, that the space exists,
 * that the user may manage connectors, cases and rules, and that alerting can run. It manages no objects,
 * so its plan is empty; it records the stack version for the other steps.
 */
import type { Check, Step, StepContext } from "../../engine/types.js";
import { isSentinelElasticError } from "../../errors.js";
import {
  checkAlertingHealth,
  checkConnectorLicences,
  checkKibanaVersion,
  checkPrivileges,
  checkRuleQuery,
  checkSpace,
} from "./preflight-checks.js";
import { callbackUrlExposure } from "../azure/access-keys.js";

export const KIBANA_PREFLIGHT = "kibana-preflight";

type Ctx = Pick<StepContext, "config" | "clients" | "shared" | "io">;

interface Outcome {
  id: string;
  title: string;
  run: (ctx: Ctx) => Promise<string | undefined>;
}

/** In order: each check assumes the ones before it passed. */
const checks: Outcome[] = [
  {
    id: "rule.query",
    title: "Detection rule query is valid KQL",
    run: async (ctx) => {
      checkRuleQuery(ctx.config);
      return ctx.config.features.alertForwarding ? ctx.config.rule.query : "alert forwarding off";
    },
  },
  {
    id: "kibana.reachable",
    title: "Kibana reachable, credentials accepted, version supported",
    run: async (ctx) => {
      const kibana = await ctx.clients.kibana();
      const info = await checkKibanaVersion(kibana);
      ctx.shared.kibana = info;
      return `Kibana ${info.version}${info.buildFlavor === "serverless" ? " (serverless)" : ""} at ${info.baseUrl}`;
    },
  },
  {
    id: "kibana.space",
    title: "Kibana space exists",
    run: async (ctx) => {
      const kibana = await ctx.clients.kibana();
      await checkSpace(kibana);
      return `space '${kibana.space}'`;
    },
  },
  {
    id: "kibana.licence",
    title: "Licence allows the webhook connectors",
    run: async (ctx) => {
      await checkConnectorLicences(await ctx.clients.kibana(), ctx.config);
      return "connector types enabled in the licence";
    },
  },
  {
    id: "elasticsearch.reachable",
    title: "Elasticsearch reachable with the same credentials",
    run: async (ctx) => {
      const es = await ctx.clients.elasticsearch();
      const who = await es.authenticate();
      return `authenticated as ${who.username} at ${es.baseUrl}`;
    },
  },
  {
    id: "elastic.privileges",
    title: "Privileges for connectors, cases and detection rules",
    run: async (ctx) => {
      const es = await ctx.clients.elasticsearch();
      const { username, warnings } = await checkPrivileges(es, ctx.config.elastic.space, ctx.config);
      for (const w of warnings) ctx.io.message("warn", w);
      return `${username} holds the needed privileges in space '${ctx.config.elastic.space}'${warnings.length ? ` (${warnings.join("; ")})` : ""}`;
    },
  },
  {
    id: "kibana.callback-urls",
    title: "Who can read the Logic Apps' callback URLs",
    run: async (ctx) => {
      const text = callbackUrlExposure(ctx.config.elastic.space);
      // The alert connector's own exposure depends on alerts.webhookAuth and is said once that is decided
      // (steps/azure/webhook-auth.ts): with OAuth2 it holds no signature.
      if (ctx.config.features.caseSync) ctx.io.message("warn", text);
      return text;
    },
  },
  {
    id: "kibana.alerting",
    title: "Alerting works (encryption key, API keys)",
    run: async (ctx) => {
      const warnings = await checkAlertingHealth(await ctx.clients.kibana());
      for (const w of warnings) ctx.io.message("warn", `Kibana ${w}; rules may not run until it recovers.`);
      return warnings.length ? warnings.join("; ") : "encryption key present, framework healthy";
    },
  },
];

/** Runs every check in order; throws the first failure's typed error. */
export async function runKibanaPreflight(ctx: Ctx): Promise<void> {
  for (const c of checks) {
    const evidence = await c.run(ctx);
    ctx.io.message("debug", `preflight: ${c.title}: ${evidence}`);
  }
}

export const kibanaPreflightStep: Step = {
  id: KIBANA_PREFLIGHT,
  title: "Kibana and Elasticsearch preflight",
  target: "kibana",
  enabled: () => true,
  async plan(ctx) {
    await runKibanaPreflight(ctx);
    return [];
  },
  async apply() {},
  async verify(ctx) {
    const out: Check[] = [];
    for (const c of checks) {
      const started = ctx.now();
      try {
        const evidence = await c.run(ctx);
        out.push({ id: c.id, title: c.title, status: "pass", evidence, durationMs: ctx.now() - started });
      } catch (e) {
        out.push({
          id: c.id,
          title: c.title,
          status: "fail",
          cause: e instanceof Error ? e.message : String(e),
          remedy: isSentinelElasticError(e) ? e.suggestion : undefined,
          durationMs: ctx.now() - started,
        });
        break;
      }
    }
    return out;
  },
};

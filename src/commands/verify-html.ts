/** `verify --report FILE.html`: gather what the run found (also when it failed) and write the page. */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { apiVersions } from "../azure/arm.js";
import type { RunReport } from "../engine/report.js";
import type { StepContext } from "../engine/types.js";
import { errorDocument } from "../io/handle-error.js";
import { packageVersion } from "../elastic/user-agent.js";
import { renderHtmlReport } from "../report/html.js";

export function reportVersions(ctx: Pick<StepContext, "shared">): Record<string, string> {
  const kibana = ctx.shared.kibana;
  return {
    "sentinel-elastic": packageVersion(),
    "Node.js": process.version,
    ...(kibana ? { Kibana: `${kibana.version}${kibana.buildFlavor ? ` (${kibana.buildFlavor})` : ""}` } : {}),
    "Azure Logic Apps API": apiVersions.logic,
    "Microsoft Sentinel API": `${apiVersions.securityInsights} (preview ${apiVersions.securityInsightsPreview})`,
    "Log Analytics tables API": apiVersions.tables,
    "Data collection rules API": apiVersions.dataCollectionRules,
  };
}

/** Write the page; returns its absolute path. The error, when the run ended in one, is shown at the top. */
export async function writeHtmlReport(
  file: string,
  ctx: Pick<StepContext, "shared">,
  report: RunReport,
  timing: { startedAt: number; durationMs: number },
  error?: unknown,
): Promise<string> {
  const path = resolve(file);
  const doc = error === undefined ? undefined : errorDocument(error);
  const html = renderHtmlReport({
    command: report.command,
    ...timing,
    checks: report.checks,
    inputs: report.inputs,
    versions: reportVersions(ctx),
    error: doc && { code: doc.code, message: doc.message, exitCode: doc.exitCode },
  });
  await writeFile(path, html, { mode: 0o644 });
  return path;
}

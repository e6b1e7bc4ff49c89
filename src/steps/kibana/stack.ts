/** What the Kibana steps share: the stack version (read once, in preflight or on first need), names, diffs. */
import type { StepContext } from "../../engine/types.js";
import { getStatus } from "../../kibana/status.js";
import { describeUrl } from "../../redact.js";

export type KibanaStepContext = Pick<StepContext, "config" | "names" | "clients" | "shared" | "io">;

export interface StackInfo {
  version: string;
  buildFlavor?: string;
  baseUrl: string;
  space: string;
}

/** The version from preflight, or read now when a step runs on its own. */
export async function stackInfo(ctx: KibanaStepContext): Promise<StackInfo> {
  if (ctx.shared.kibana) return ctx.shared.kibana;
  const kibana = await ctx.clients.kibana();
  const status = await getStatus(kibana.http);
  const info: StackInfo = {
    version: status.version?.number ?? "0.0.0",
    buildFlavor: status.version?.build_flavor,
    baseUrl: kibana.baseUrl,
    space: kibana.space,
  };
  ctx.shared.kibana = info;
  return info;
}

export type FieldDiff = { field: string; from?: unknown; to?: unknown };

function canonical(v: unknown): string {
  if (v === undefined) return "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Field-by-field differences between what is there and what we want, for the fields we manage. URL fields
 * carry the callback URL's `sig`: they are shown through describeUrl, and skipped when `skip` says so.
 */
export function diffFields(
  current: Record<string, unknown> | undefined,
  desired: Record<string, unknown>,
  options: { prefix?: string; urlFields?: string[]; skip?: string[] } = {},
): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [key, want] of Object.entries(desired)) {
    if (options.skip?.includes(key)) continue;
    const have = current?.[key];
    if (sameValue(have, want)) continue;
    const show = (v: unknown) => (options.urlFields?.includes(key) && typeof v === "string" ? describeUrl(v) : v);
    out.push({ field: `${options.prefix ?? ""}${key}`, from: show(have ?? null), to: show(want) });
  }
  return out;
}

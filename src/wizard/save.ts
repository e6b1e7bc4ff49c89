/**
 * Keep the answers: after a run that asked questions (at its end, or when it stopped), offer to write
 * `sentinel-elastic.yaml` with the non-secret inputs of the run, secrets as `${ENV}` references (never their
 * values), and say the exact command for the next run and for CI.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { InputSource, LoadedConfig } from "../config/load.js";
import { nest } from "../config/load.js";
import { inputs } from "../config/registry.js";
import { AbortedError } from "../errors.js";
import type { IoHost } from "../io/io-host.js";

export const CONFIG_FILE = "sentinel-elastic.yaml";

const at = (config: unknown, key: string): unknown =>
  key
    .split(".")
    .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), config);

/** Drop the empty sections `nest` leaves (`alerts: {}`): the file shows only what was chosen. */
function prune(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const inner = prune(v as Record<string, unknown>);
      if (Object.keys(inner).length) out[k] = inner;
    } else if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Inputs the run had from a person, a flag, the environment or a file; defaults, Cloud ID URLs and the inputs of
 * the way back when it is off are left out.
 */
export function answersToKeep(loaded: Pick<LoadedConfig, "config" | "sources">): {
  values: Record<string, unknown>;
  secretEnv: string[];
} {
  const values: Record<string, unknown> = {};
  const secretEnv: string[] = [];
  for (const def of inputs) {
    const source: InputSource | undefined = loaded.sources[def.key];
    if (!source || source === "default" || source === "cloud-id") continue;
    if (def.group === "sentinelToElastic" && at(loaded.config, "features.sentinelToElastic") !== true) continue;
    const value = at(loaded.config, def.key);
    if (value === undefined) continue;
    if (def.secret) {
      values[def.key] = `\${${def.env}}`;
      secretEnv.push(def.env);
    } else values[def.key] = value;
  }
  return { values, secretEnv };
}

export function configFileText(values: Record<string, unknown>, secretEnv: string[]): string {
  const head = [
    "# sentinel-elastic: written by `sentinel-elastic setup` from the answers of an interactive run.",
    ...(secretEnv.length
      ? [`# Secrets are not in this file: set ${secretEnv.join(", ")} in the environment (\${…} below reads them).`]
      : []),
  ];
  return `${head.join("\n")}\n${stringify(prune(nest(values)))}`;
}

export async function offerToSave(
  io: IoHost,
  cwd: string,
  loaded: Pick<LoadedConfig, "config" | "sources" | "file">,
): Promise<void> {
  const path = join(cwd, CONFIG_FILE);
  const exists = existsSync(path);
  const { values, secretEnv } = answersToKeep(loaded);
  try {
    const yes = await io.ask({
      kind: "confirm",
      code: "wizard.saveConfig",
      message: exists
        ? `Replace ${CONFIG_FILE} with these answers (its comments are lost)?`
        : `Save these answers to ${CONFIG_FILE} for the next run and CI (no secrets in it)?`,
      why: "The next run reads it and asks nothing that is in it.",
      default: !exists,
    });
    if (!yes) return;
  } catch (error) {
    if (error instanceof AbortedError) return;
    throw error;
  }
  await writeFile(path, configFileText(values, secretEnv), { mode: 0o644 });
  io.message("success", `Saved ${path}.`);
  const env = secretEnv.length ? `with ${secretEnv.join(", ")} set in the environment, ` : "";
  io.message("info", `Next time, and in CI, ${env}run:\n  sentinel-elastic setup --non-interactive`);
}

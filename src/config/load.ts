/**
 * Resolve the configuration. Precedence, highest first: flags, env vars, the config file, defaults, then an
 * interactive prompt for what is still missing. Every problem is collected, so one run lists them all.
 * Secrets are registered for redaction the moment they are read. The result is validated once and frozen.
 */
import { InputError, type InputProblem } from "../errors.js";
import type { IoHost } from "../io/io-host.js";
import { registerSecret } from "../redact.js";
import { CA_FILE_KEYS, caFileProblem } from "./ca-file.js";
import { decodeCloudId } from "./cloud-id.js";
import { coerce } from "./coerce.js";
import { findConfigFile, readConfigFile } from "./file.js";
import { askForInput, askOptionalCloudId } from "./prompt.js";
import { type InputDef, inputs } from "./registry.js";
import { configSchema, type ResolvedConfig } from "./schema.js";
import { checkValue, problemFor } from "./validate.js";

export type InputSource = "flag" | "env" | "file" | "default" | "prompt" | "cloud-id";

export interface ResolveConfigOptions {
  /** Values from flags, by config key (`elastic.kibanaUrl`), as parsed by the CLI. */
  flags?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** `--config FILE`; else the default file names in cwd. */
  configFile?: string;
  /** Asks for missing values when `io.interactive`; otherwise never used for input. */
  io: IoHost;
  /**
   * Ask through the setup wizard (sections, lists, each answer checked at once) rather than one question per
   * missing input. Interactive hosts only; it gets the caller's client overrides for its checks.
   */
  wizard?: Omit<import("../wizard/index.js").WizardOptions, "io" | "env" | "cwd">;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** Where each set value came from. */
  sources: Record<string, InputSource>;
  /** The config file read, if any. */
  file?: string;
  /** True when a person answered questions (the answers may be saved for the next run). */
  asked: boolean;
}

/** Secrets that do not have a registry entry but that SDKs read from the environment. */
const SDK_SECRET_ENV = ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD"];

/** Nested object from dotted keys. */
export function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of inputs) {
    const parts = def.key.split(".");
    let node = out;
    for (const p of parts.slice(0, -1)) {
      node[p] ??= {};
      node = node[p] as Record<string, unknown>;
    }
    const value = flat[def.key];
    if (value !== undefined) node[parts.at(-1)!] = value;
  }
  return out;
}

/** Inputs that name a file are checked here, before any remote is called. */
function fileProblem(def: InputDef, value: unknown, cwd: string): string | undefined {
  return CA_FILE_KEYS.has(def.key) && typeof value === "string" ? caFileProblem(value, cwd) : undefined;
}

/** A password written into a URL (`https://user:password@host`) is a secret, wherever the URL is shown. */
function registerUrlPassword(value: unknown): void {
  if (typeof value !== "string" || !/^[a-z]+:\/\/[^/]*@/i.test(value)) return;
  try {
    const { password } = new URL(value);
    if (password) {
      registerSecret(password);
      registerSecret(decodeURIComponent(password));
    }
  } catch {
    // Not a URL: reported as such by the field check.
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function sourceLabel(def: InputDef, source: InputSource, file?: string): string {
  switch (source) {
    case "flag":
      return def.flag ?? "a flag";
    case "env":
      return def.env;
    case "file":
      return `${def.key} in ${file ?? "the config file"}`;
    case "cloud-id":
      return "the Cloud ID";
    default:
      return source;
  }
}

export async function resolveConfig(options: ResolveConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const cwd = options.cwd ?? process.cwd();
  const { io } = options;

  for (const name of SDK_SECRET_ENV) registerSecret(env[name]);
  for (const def of inputs) if (def.secret) registerSecret(env[def.env]);

  const filePath = findConfigFile(cwd, options.configFile);
  const file = filePath ? readConfigFile(filePath, env) : undefined;
  if (file)
    for (const def of inputs)
      if (def.secret && typeof file.values[def.key] === "string") registerSecret(file.values[def.key] as string);
  const fileName = filePath?.split(/[\\/]/).pop();

  const values: Record<string, unknown> = {};
  const sources: Record<string, InputSource> = {};
  const problems: InputProblem[] = [];

  for (const def of inputs) {
    const envValue = env[def.env];
    const layers: [InputSource, unknown][] = [
      ["flag", flags[def.key]],
      ["env", envValue === "" ? undefined : envValue],
      ["file", file?.values[def.key]],
      ["default", def.default],
    ];
    const hit = layers.find(([, v]) => v !== undefined && v !== null);
    if (!hit) continue;
    const [source, raw] = hit;
    const from = sourceLabel(def, source, fileName);
    const coerced = coerce(def, raw);
    registerUrlPassword(coerced.ok ? coerced.value : undefined);
    if (!coerced.ok) {
      problems.push(problemFor(def.key, coerced.message, { value: raw, from }));
      continue;
    }
    const invalid = checkValue(def, coerced.value) ?? fileProblem(def, coerced.value, cwd);
    if (invalid) {
      problems.push(problemFor(def.key, invalid, { value: coerced.value, from }));
      continue;
    }
    values[def.key] = coerced.value;
    sources[def.key] = source;
  }

  applyCloudId(values, sources, problems);

  const missing = () => inputs.filter((def) => values[def.key] === undefined && def.required?.(nest(values)));

  if (problems.length === 0 && missing().length > 0 && io.interactive && options.wizard) {
    const { runWizard } = await import("../wizard/index.js");
    await runWizard(values, sources, { io, env, cwd, ...options.wizard });
  }
  if (problems.length === 0 && missing().length > 0 && io.interactive) {
    // All questions before any slow work; re-check after each answer (a Cloud ID makes the URLs optional).
    const urlsMissing = missing().some((d) => d.key === "elastic.kibanaUrl" || d.key === "elastic.elasticsearchUrl");
    if (urlsMissing && values["elastic.cloudId"] === undefined) {
      // Offer the Cloud ID first: one answer instead of two URLs. Empty means "I'll give the URLs".
      const answer = await askOptionalCloudId(io);
      if (answer) {
        values["elastic.cloudId"] = answer;
        sources["elastic.cloudId"] = "prompt";
        applyCloudId(values, sources, problems);
      }
    }
    for (let def = problems.length ? undefined : missing()[0]; def; def = missing()[0]) {
      const value = await askForInput(def, io);
      if (def.secret && typeof value === "string") registerSecret(value);
      const invalid = checkValue(def, value) ?? fileProblem(def, value, cwd);
      if (invalid) {
        problems.push(problemFor(def.key, invalid, { value, from: "the prompt" }));
        break;
      }
      values[def.key] = value;
      sources[def.key] = "prompt";
      if (def.key === "elastic.cloudId") applyCloudId(values, sources, problems);
      if (problems.length > 0) break;
    }
  }

  // An input already reported as invalid is not missing too: one problem per input (`--workspace ws` once).
  for (const def of missing()) {
    if (!problems.some((p) => p.key === def.key)) problems.push(problemFor(def.key, "is missing"));
  }
  if (problems.length > 0) throw inputError(problems, io.interactive);

  const parsed = configSchema.safeParse(nest(values));
  if (!parsed.success) {
    // Field checks above should have caught everything; this is the schema's last word.
    throw inputError(
      parsed.error.issues.map((i) => problemFor(i.path.join("."), i.message)),
      io.interactive,
    );
  }
  const asked = Object.values(sources).includes("prompt");
  return { config: deepFreeze(parsed.data) as ResolvedConfig, sources, file: filePath, asked };
}

/** Scheme, host, port and base path: what must match between a given URL and the Cloud ID's (case aside). */
function deploymentOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`.toLowerCase();
}

/**
 * The URLs are resolved here, once: a Cloud ID fills in the URLs not given, and a given URL that points at
 * another deployment is an input problem. The clients use `config.elastic.kibanaUrl`/`elasticsearchUrl` as is.
 */
function applyCloudId(values: Record<string, unknown>, sources: Record<string, InputSource>, problems: InputProblem[]) {
  const cloudId = values["elastic.cloudId"];
  if (typeof cloudId !== "string") return;
  const decoded = decodeCloudId(cloudId);
  if (typeof decoded === "string") {
    problems.push(problemFor("elastic.cloudId", decoded));
    delete values["elastic.cloudId"];
    return;
  }
  for (const key of ["elastic.kibanaUrl", "elastic.elasticsearchUrl"] as const) {
    const fromCloud = key === "elastic.kibanaUrl" ? decoded.kibanaUrl : decoded.elasticsearchUrl;
    const given = values[key];
    if (given === undefined) {
      values[key] = fromCloud;
      sources[key] = "cloud-id";
    } else if (typeof given === "string" && deploymentOf(given) !== deploymentOf(fromCloud)) {
      problems.push(
        problemFor(key, `disagrees with the Cloud ID, which points at ${fromCloud}; give one or the other`, {
          value: given,
        }),
      );
    }
  }
}

function inputError(problems: InputProblem[], interactive: boolean): InputError {
  const missing = problems.filter((p) => p.message === "is missing").length;
  const invalid = problems.length - missing;
  const parts = [
    invalid ? `${invalid} invalid input${invalid === 1 ? "" : "s"}` : "",
    missing ? `${missing} missing input${missing === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return new InputError(parts.join(" and "), {
    code: missing && !invalid ? "INPUT_MISSING" : "INPUT_INVALID",
    suggestion:
      missing && !interactive
        ? "Set each with its flag, environment variable or config file key (listed above); run in a terminal without --non-interactive to be asked instead."
        : "Fix each input where it is set (listed above).",
    problems,
  });
}

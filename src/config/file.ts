/**
 * The config file: `--config FILE`, else `sentinel-elastic.yaml`, `.yml` or `.json` in the working directory.
 * YAML 1.2 (JSON is parsed by the same parser, so both report line and column). String values may use
 * `${ENV_VAR}` (write `$${` for a literal `${`). Unknown keys are errors, with the nearest valid key.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { isAlias, isMap, isNode, isScalar, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { InputError, type InputProblem } from "../errors.js";
import { nearest } from "./nearest.js";
import { inputs } from "./registry.js";

export const CONFIG_FILE_NAMES = ["sentinel-elastic.yaml", "sentinel-elastic.yml", "sentinel-elastic.json"] as const;

export interface ConfigFile {
  path: string;
  /** Leaf values by dotted key (e.g. `elastic.kibanaUrl`), interpolated, not yet coerced or validated. */
  values: Record<string, unknown>;
  /** 1-based line of each key, for messages. */
  lines: Record<string, number>;
}

/** The config file to read, or undefined when none is given and none is in the working directory. */
export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw new InputError(`Config file not found: ${path}`, {
        code: "CONFIG_FILE_NOT_FOUND",
        suggestion: "Check the path given to --config (it is relative to the working directory).",
      });
    }
    return path;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

const leafKeys = new Set(inputs.map((i) => i.key));
const branchKeys = new Set(
  inputs.flatMap((i) =>
    i.key
      .split(".")
      .slice(0, -1)
      .map((_, n, a) => a.slice(0, n + 1).join(".")),
  ),
);

function suggestKey(path: string): string | undefined {
  const all = [...leafKeys, ...branchKeys];
  const direct = nearest(path, all);
  if (direct) return direct;
  // A leaf written at the wrong level (`kibanaUrl:` at the top): match the last segment.
  const last = path.split(".").pop()!;
  const byLeaf = nearest(
    last,
    [...leafKeys].map((k) => k.split(".").pop()!),
  );
  return byLeaf ? [...leafKeys].find((k) => k.endsWith(`.${byLeaf}`)) : undefined;
}

const ENV_REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function interpolate(value: string, env: NodeJS.ProcessEnv, missing: (name: string) => void): string {
  return value.replace(ENV_REF, (match, name: string | undefined) => {
    if (match === "$${") return "${";
    const v = env[name!];
    if (v === undefined || v === "") {
      missing(name!);
      return "";
    }
    return v;
  });
}

export function readConfigFile(path: string, env: NodeJS.ProcessEnv): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new InputError(`Cannot read the config file ${path}: ${(cause as Error).message}`, {
      code: "CONFIG_FILE_UNREADABLE",
      suggestion: "Check the file's permissions, or point --config at another file.",
      cause,
    });
  }
  const name = basename(path);
  const kind = name.endsWith(".json") ? "JSON" : "YAML";
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const at = pos ? `line ${pos.line}, column ${pos.col}` : "an unknown position";
    const what = first.message.split(" at line ")[0]!.split("\n")[0];
    throw new InputError(`${name} is not valid ${kind}: ${what} (${at})`, {
      code: "CONFIG_FILE_SYNTAX",
      suggestion: `Fix ${path} at ${at}.`,
      details: { file: path, line: pos?.line, column: pos?.col },
    });
  }

  const values: Record<string, unknown> = {};
  const lines: Record<string, number> = {};
  const problems: InputProblem[] = [];
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  const walk = (map: YAMLMap, prefix: string) => {
    for (const pair of map.items) {
      const keyNode = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      const segment = String(isScalar(keyNode) ? keyNode.value : keyNode);
      const path = prefix ? `${prefix}.${segment}` : segment;
      const line = lineOf(keyNode);
      // An alias (`resourceGroup: *rg`) stands for the node its anchor names: read that node, not the alias.
      const node = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      if (leafKeys.has(path)) {
        // toJS with the document resolves aliases nested in lists too (`index: [*a, logs-*]`).
        values[path] = isNode(node) ? node.toJS(doc) : node;
        if (line) lines[path] = line;
      } else if (branchKeys.has(path)) {
        if (isMap(node)) walk(node, path);
        else if (node != null && !(isScalar(node) && node.value === null)) {
          problems.push({
            key: path,
            message: `must be a mapping of keys (line ${line}), e.g. ${path}: { … }`,
            where: `${path} in ${name}`,
          });
        }
      } else {
        const hint = suggestKey(path);
        problems.push({
          key: path,
          message: `unknown key in ${name}${line ? ` (line ${line})` : ""}${hint ? `; did you mean "${hint}"?` : ""}`,
          where: hint ? `${hint} in ${name}` : name,
        });
      }
    }
  };

  const root = doc.contents;
  if (root !== null && !(isScalar(root) && root.value === null)) {
    if (!isMap(root)) {
      throw new InputError(`${name} must be a mapping of keys (elastic:, azure:, …) at the top level`, {
        code: "CONFIG_FILE_SHAPE",
        suggestion: "See the README's input table for the keys.",
      });
    }
    walk(root, "");
  }

  // ${ENV_VAR} interpolation, on the parsed strings (not the raw text, so a value can never inject YAML).
  for (const [key, value] of Object.entries(values)) {
    const report = (envName: string) =>
      problems.push({
        key,
        message: `refers to \${${envName}} (line ${lines[key] ?? "?"} of ${name}), but ${envName} is not set`,
        where: `set the environment variable ${envName}, or change ${key} in ${name}`,
      });
    if (typeof value === "string") values[key] = interpolate(value, env, report);
    else if (Array.isArray(value))
      values[key] = value.map((v) => (typeof v === "string" ? interpolate(v, env, report) : v));
  }

  if (problems.length > 0) {
    const unknown = problems.filter((p) => p.message.startsWith("unknown key"));
    const first = problems[0]!;
    throw new InputError(
      problems.length === 1
        ? `${first.key}: ${first.message}`
        : `${problems.length} problems in the config file ${name}`,
      {
        code: unknown.length === problems.length ? "CONFIG_UNKNOWN_KEY" : "CONFIG_FILE_INVALID",
        suggestion: `Fix ${path}; the valid keys are listed in the README's input table and in --help.`,
        problems,
      },
    );
  }
  // Secrets read from the file are registered by the loader (load.ts), which knows which keys are secret.
  return { path, values, lines };
}

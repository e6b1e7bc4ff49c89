/**
 * Package policies in the Fleet emulator. Bodies in the simplified format are turned into a stored policy the
 * way Fleet's `simplifiedPackagePolicytoNewPackagePolicy` does (common/services/simplified_package_policy_helper.ts):
 * inputs keyed `<policy_template>-<type>`, streams keyed by dataset, every var known to the package or
 * `Variable <ctx>:<var> not found`, an unknown input `Input not found: <id>`, an unknown stream
 * `Stream not found <input>: <stream>`. Streams not named keep the package default (`enabled: false` for all
 * microsoft_sentinel streams). Secret vars (`secret: true`) are moved to a secret store and replaced by
 * `{isSecretRef: true, id}`; their values never leave the store.
 */
import { randomUUID } from "node:crypto";
import type { ManifestVar, PolicyVars } from "./wire.js";
import type { CataloguePackage } from "./catalogue.js";

export class FleetHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (m: string) => new FleetHttpError(400, m);

export interface StoredStream {
  dataset: string;
  enabled: boolean;
  vars: PolicyVars;
}

export interface StoredInput {
  type: string;
  enabled: boolean;
  vars: PolicyVars;
  streams: Map<string, StoredStream>;
}

export interface StoredPackagePolicy {
  id: string;
  name: string;
  description?: string;
  namespace: string;
  policy_ids: string[];
  supports_agentless: boolean;
  package: { name: string; version: string; title: string };
  inputs: Map<string, StoredInput>;
  secret_references: { id: string }[];
  revision: number;
  created_at: string;
  updated_at: string;
}

type SecretStore = Map<string, string>;

const isSecretRef = (v: unknown): v is { isSecretRef: true; id: string } =>
  !!v && typeof v === "object" && (v as { isSecretRef?: unknown }).isSecretRef === true;

function defaults(defs: ManifestVar[]): PolicyVars {
  const out: PolicyVars = {};
  for (const d of defs) out[d.name] = (d.default as PolicyVars[string]) ?? null;
  return out;
}

function assign(
  target: PolicyVars,
  defs: ManifestVar[],
  given: unknown,
  ctxMessage: string,
  secrets: SecretStore,
  refs: { id: string }[],
) {
  if (given === undefined || given === null) return;
  if (typeof given !== "object" || Array.isArray(given))
    throw badRequest(`[request body.inputs]: vars of ${ctxMessage} must be an object`);
  for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
    const def = defs.find((d) => d.name === k);
    if (!def) throw badRequest(`Variable ${ctxMessage}:${k} not found`);
    if (def.secret && typeof v === "string" && v !== "") {
      const id = randomUUID();
      secrets.set(id, v);
      target[k] = { isSecretRef: true, id };
    } else if (def.secret && isSecretRef(v)) {
      if (!secrets.has(v.id)) throw badRequest(`Secret reference ${v.id} not found`);
      target[k] = { isSecretRef: true, id: v.id };
    } else target[k] = v as PolicyVars[string];
    const now = target[k];
    if (isSecretRef(now)) refs.push({ id: now.id });
  }
}

function required(defs: ManifestVar[], vars: PolicyVars, path: string): string[] {
  return defs
    .filter((d) => d.required && (vars[d.name] === null || vars[d.name] === undefined || vars[d.name] === ""))
    .map((d) => `${path}.${d.name}: ${d.name} is required`);
}

/** Build the stored inputs from a simplified body, validating as Fleet does. */
export function buildInputs(
  pkg: CataloguePackage,
  body: Record<string, unknown>,
  secrets: SecretStore,
): { inputs: Map<string, StoredInput>; refs: { id: string }[] } {
  const refs: { id: string }[] = [];
  const inputs = new Map<string, StoredInput>();
  for (const input of pkg.inputs) {
    const streams = new Map<string, StoredStream>();
    for (const s of pkg.streams.filter((s) => s.input === input.type))
      streams.set(s.dataset, { dataset: s.dataset, enabled: s.enabled, vars: defaults(s.vars) });
    // Fleet's packageToPackagePolicy: an input starts enabled when it has an enabled stream.
    inputs.set(`${pkg.policyTemplate}-${input.type}`, {
      type: input.type,
      enabled: [...streams.values()].some((s) => s.enabled),
      vars: defaults(input.vars),
      streams,
    });
  }
  const given = (body.inputs ?? {}) as Record<
    string,
    { enabled?: boolean; vars?: unknown; streams?: Record<string, { enabled?: boolean; vars?: unknown }> }
  >;
  if (typeof given !== "object" || Array.isArray(given))
    throw badRequest("[request body.inputs]: expected an object (simplified format)");
  for (const [inputId, val] of Object.entries(given)) {
    const input = inputs.get(inputId);
    const def = pkg.inputs.find((i) => `${pkg.policyTemplate}-${i.type}` === inputId);
    if (!input || !def) throw badRequest(`Input not found: ${inputId}`);
    input.enabled = val.enabled !== false;
    assign(input.vars, def.vars, val.vars, inputId, secrets, refs);
    for (const [streamId, sv] of Object.entries(val.streams ?? {})) {
      const stream = input.streams.get(streamId);
      const sdef = pkg.streams.find((s) => s.dataset === streamId && s.input === def.type);
      if (!stream || !sdef) throw badRequest(`Stream not found ${inputId}: ${streamId}`);
      stream.enabled = !(sv.enabled === false || !input.enabled);
      assign(stream.vars, sdef.vars, sv.vars, `${inputId} ${streamId}`, secrets, refs);
    }
  }
  // Fleet validates required vars of enabled inputs and streams (validatePackagePolicy) and answers 400.
  const problems: string[] = [];
  for (const [id, input] of inputs) {
    if (!input.enabled) continue;
    const def = pkg.inputs.find((i) => `${pkg.policyTemplate}-${i.type}` === id)!;
    problems.push(...required(def.vars, input.vars, `inputs.${id}.vars`));
    for (const [sid, s] of input.streams) {
      if (!s.enabled) continue;
      const sdef = pkg.streams.find((x) => x.dataset === sid)!;
      problems.push(...required(sdef.vars, s.vars, `inputs.${id}.streams.${sid}.vars`));
    }
  }
  if (problems.length) throw badRequest(`Package policy is invalid: ${problems.join(", ")}`);
  return { inputs, refs };
}

/** `format=simplified` output: secret vars as references only. */
export function toSimplified(p: StoredPackagePolicy): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [id, i] of p.inputs) {
    const streams: Record<string, unknown> = {};
    for (const [sid, s] of i.streams) streams[sid] = { enabled: s.enabled, vars: { ...s.vars } };
    inputs[id] = { enabled: i.enabled, vars: { ...i.vars }, streams };
  }
  return { ...common(p), inputs };
}

/** The legacy (default) output: inputs as an array with `{value}` var records. */
export function toLegacy(p: StoredPackagePolicy): Record<string, unknown> {
  const rec = (vars: PolicyVars) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { value: v }]));
  return {
    ...common(p),
    inputs: [...p.inputs.entries()].map(([, i]) => ({
      type: i.type,
      policy_template: p.package.name,
      enabled: i.enabled,
      vars: rec(i.vars),
      streams: [...i.streams.values()].map((s) => ({
        enabled: s.enabled,
        data_stream: { type: "logs", dataset: s.dataset },
        vars: rec(s.vars),
      })),
    })),
  };
}

function common(p: StoredPackagePolicy): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    namespace: p.namespace,
    enabled: true,
    policy_id: p.policy_ids[0] ?? null,
    policy_ids: [...p.policy_ids],
    supports_agentless: p.supports_agentless,
    package: { ...p.package },
    secret_references: [...p.secret_references],
    revision: p.revision,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

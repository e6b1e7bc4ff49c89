/** Shapes of the workflow definition parts the runtime reads (Workflow Definition Language, schema 2016-06-01). */

export interface ActionDef {
  type: string;
  kind?: string;
  inputs?: unknown;
  runAfter?: Record<string, string[]>;
  /** Scope, If (true branch), Foreach, Until. */
  actions?: Record<string, ActionDef>;
  else?: { actions?: Record<string, ActionDef> };
  cases?: Record<string, { case: unknown; actions?: Record<string, ActionDef> }>;
  default?: { actions?: Record<string, ActionDef> };
  expression?: unknown;
  foreach?: unknown;
  limit?: { count?: number; timeout?: string };
  runtimeConfiguration?: { concurrency?: { repetitions?: number }; secureData?: { properties?: string[] } };
  operationOptions?: string;
}

export interface TriggerDef {
  type: string;
  kind?: string;
  inputs?: { method?: string; relativePath?: string; schema?: unknown };
  operationOptions?: string;
  /** Trigger concurrency control: at most `runs` runs at once, up to `maximumWaitingRuns` queued. */
  runtimeConfiguration?: { concurrency?: { runs?: number; maximumWaitingRuns?: number } };
}

export interface WorkflowDefinition {
  parameters?: Record<string, { type?: string; defaultValue?: unknown }>;
  triggers?: Record<string, TriggerDef>;
  actions?: Record<string, ActionDef>;
  outputs?: Record<string, unknown>;
}

/** The containers nested in an action: name → actions (`actions`, `else`, each case, `default`). */
export function childContainers(def: ActionDef): { label: string; actions: Record<string, ActionDef> }[] {
  const out: { label: string; actions: Record<string, ActionDef> }[] = [];
  if (def.actions) out.push({ label: "actions", actions: def.actions });
  if (def.else?.actions) out.push({ label: "else", actions: def.else.actions });
  for (const [name, c] of Object.entries(def.cases ?? {}))
    if (c.actions) out.push({ label: `case ${name}`, actions: c.actions });
  if (def.default?.actions) out.push({ label: "default", actions: def.default.actions });
  return out;
}

/** Every action of a definition by name, with the loop it sits in and whether it is at top level. */
export function flattenActions(
  actions: Record<string, ActionDef> | undefined,
  into = new Map<string, { def: ActionDef; topLevel: boolean; inLoop: boolean; parent?: string }>(),
  parent?: string,
  inLoop = false,
): Map<string, { def: ActionDef; topLevel: boolean; inLoop: boolean; parent?: string }> {
  for (const [name, def] of Object.entries(actions ?? {})) {
    into.set(name, { def, topLevel: parent === undefined, inLoop, parent });
    const loop = inLoop || /^(foreach|until)$/i.test(def.type ?? "");
    for (const c of childContainers(def)) flattenActions(c.actions, into, name, loop);
  }
  return into;
}

/** ISO 8601 duration (`PT5S`, `P1D`, `PT1H30M`) in milliseconds. */
export function parseDuration(s: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (!m || s.toUpperCase() === "P" || s.toUpperCase() === "PT") return undefined;
  const [d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  return ((d * 24 + h) * 60 + mi) * 60_000 + se * 1000;
}

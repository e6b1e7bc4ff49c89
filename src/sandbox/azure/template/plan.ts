/**
 * Turn a template and its parameters into an ordered list of resource instances: parameters bound and
 * checked, variables evaluated lazily, nested child resources flattened, `copy` loops expanded, `condition`
 * applied, ids computed (including extension resources with `scope` and the legacy
 * `<parent type>/providers/<ext type>` form), `dependsOn` resolved. Resource `properties` are evaluated
 * later, when the resource is deployed, because they may call reference() on resources deployed before it.
 */
import { TemplateError, functionsIn, isExpression, parseExpression } from "./expression.js";
import { type EvalScope, checkFunctions, evaluateString, evaluateValue } from "./functions.js";
import { type ParameterDecl, checkDeclarations, checkProvided, checkValue } from "./parameters.js";

export interface TemplateResource {
  type: string;
  apiVersion: string;
  name: string;
  condition?: unknown;
  scope?: string;
  location?: string;
  kind?: string;
  tags?: unknown;
  identity?: unknown;
  sku?: unknown;
  properties?: unknown;
  dependsOn?: string[];
  copy?: { name: string; count: unknown; mode?: string; batchSize?: number };
  resources?: TemplateResource[];
  resourceGroup?: string;
  subscriptionId?: string;
  [k: string]: unknown;
}

export interface Template {
  $schema?: string;
  contentVersion?: string;
  parameters?: Record<string, ParameterDecl>;
  variables?: Record<string, unknown>;
  resources?: TemplateResource[];
  outputs?: Record<string, { type: string; value?: unknown; condition?: unknown; copy?: unknown }>;
  functions?: unknown;
  [k: string]: unknown;
}

export interface ResourceInstance {
  /** Symbolic position for messages: `resources[2]` or the copy instance. */
  key: string;
  id: string;
  type: string;
  name: string;
  apiVersion: string;
  /** The source declaration (properties still unevaluated). */
  decl: TemplateResource;
  /** Copy loop index, for copyIndex(). */
  copyIndex?: number;
  copyName?: string;
  /** Ids this instance depends on (resolved to instances of this template). */
  dependsOn: string[];
  /** For `Microsoft.Resources/deployments`: target resource group name. */
  resourceGroup?: string;
}

export interface PlanContext {
  subscriptionId: string;
  tenantId: string;
  resourceGroup: { id: string; name: string; location: string; tags?: Record<string, string>; type: string };
  deploymentName: string;
  environment: Record<string, unknown>;
  reference: EvalScope["reference"];
  list: EvalScope["list"];
}

export interface TemplatePlan {
  parameters: Record<string, unknown>;
  resources: ResourceInstance[];
  /** A scope for evaluating a resource's properties (sets copyIndex) or the outputs. */
  scopeFor(instance?: ResourceInstance, inOutputs?: boolean): EvalScope;
}

const walkStrings = (v: unknown, fn: (s: string) => void): void => {
  if (typeof v === "string") fn(v);
  else if (Array.isArray(v)) for (const x of v) walkStrings(x, fn);
  else if (v && typeof v === "object") for (const x of Object.values(v)) walkStrings(x, fn);
};

/** Reject expressions that do not parse or that call a function the sandbox does not evaluate. */
export function checkTemplateExpressions(template: unknown): void {
  walkStrings(template, (s) => {
    if (!isExpression(s)) return;
    const bad = checkFunctions(functionsIn(parseExpression(s)));
    if (bad)
      throw new TemplateError(
        `Deployment template validation failed: 'The template function '${bad}' is not valid (not supported by the sandbox). Please see https://aka.ms/arm-functions for usage details.'`,
      );
  });
}

const SUPPORTED_TOP_LEVEL = new Set([
  "$schema",
  "contentversion",
  "apiprofile",
  "parameters",
  "variables",
  "resources",
  "outputs",
  "metadata",
]);

export function planTemplate(template: Template, provided: Record<string, unknown>, ctx: PlanContext): TemplatePlan {
  if (!template || typeof template !== "object") throw new TemplateError("The template is not a JSON object.");
  for (const k of Object.keys(template))
    if (!SUPPORTED_TOP_LEVEL.has(k.toLowerCase()))
      throw new TemplateError(
        `Deployment template validation failed: the template property '${k}' is not supported by the sandbox.`,
      );
  // deploymentTemplate.json (2019-04-01): contentVersion is required and looks like 1.0.0.0.
  if (typeof template.contentVersion !== "string" || !/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(template.contentVersion))
    throw new TemplateError(
      "Deployment template validation failed: 'Required property 'contentVersion' not found in JSON or not of the form 'n.n.n.n'.'",
    );
  if (!Array.isArray(template.resources))
    throw new TemplateError(
      "Deployment template validation failed: 'The template 'resources' property must be an array.'",
    );
  checkTemplateExpressions(template);
  const decls = template.parameters ?? {};
  checkDeclarations(decls);
  checkProvided(decls, provided);

  const params: Record<string, unknown> = {};
  const varValues = new Map<string, unknown>();
  const varInProgress = new Set<string>();
  let copyState: { name?: string; index: number } | undefined;
  let inOutputs = false;

  const scope: EvalScope = {
    subscriptionId: ctx.subscriptionId,
    tenantId: ctx.tenantId,
    resourceGroup: ctx.resourceGroup,
    deployment: { name: ctx.deploymentName, properties: { templateLink: undefined, mode: "Incremental" } },
    environment: ctx.environment,
    parameter(name) {
      const key = Object.keys(decls).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key === undefined)
        throw new TemplateError(
          `The template parameter '${name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.`,
        );
      return bindParameter(key);
    },
    variable(name) {
      const vars = template.variables ?? {};
      const key = Object.keys(vars).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key === undefined)
        throw new TemplateError(
          `The template variable '${name}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details.`,
        );
      if (varValues.has(key)) return varValues.get(key);
      if (varInProgress.has(key)) throw new TemplateError(`The template variable '${key}' refers to itself.`);
      if (key.toLowerCase() === "copy")
        throw new TemplateError("Variable 'copy' loops are not supported by the sandbox.");
      varInProgress.add(key);
      const v = evaluateValue(vars[key], scope);
      varInProgress.delete(key);
      varValues.set(key, v);
      return v;
    },
    reference: ctx.reference,
    list: ctx.list,
    copyIndex(loop) {
      if (!copyState || (loop && copyState.name && loop.toLowerCase() !== copyState.name.toLowerCase()))
        throw new TemplateError(
          `The template function 'copyIndex' is not expected at this location${loop ? ` (loop '${loop}')` : ""}.`,
        );
      return copyState.index;
    },
    get inOutputs() {
      return inOutputs;
    },
  };

  // Parameters: provided value, else default (evaluated, possibly from other parameters), else error.
  const binding = new Set<string>();
  function bindParameter(name: string): unknown {
    if (name in params) return params[name];
    if (binding.has(name))
      throw new TemplateError(`The default value of template parameter '${name}' refers to itself.`);
    binding.add(name);
    const d = decls[name]!;
    const pk = Object.keys(provided).find((k) => k.toLowerCase() === name.toLowerCase());
    let value: unknown;
    if (pk !== undefined) value = (provided[pk] as { value: unknown }).value;
    else if ("defaultValue" in d) value = evaluateValue(d.defaultValue, scope);
    else
      throw new TemplateError(
        `Deployment template validation failed: 'The value for the template parameter '${name}' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.'`,
      );
    checkValue(name, d, value);
    params[name] = value;
    binding.delete(name);
    return value;
  }
  for (const name of Object.keys(decls)) bindParameter(name);

  // Flatten child resources declared inside a parent's `resources`.
  const flat: { decl: TemplateResource; key: string; parent?: { type: string; name: string } }[] = [];
  const flatten = (list: TemplateResource[], prefix: string, parent?: TemplateResource) => {
    list.forEach((r, i) => {
      const key = `${prefix}[${i}]`;
      flat.push({ decl: r, key, parent: parent ? { type: parent.type, name: parent.name } : undefined });
      if (Array.isArray(r.resources)) flatten(r.resources, `${key}.resources`, r);
    });
  };
  flatten(template.resources, "resources");

  const evalStr = (v: unknown, what: string): string => {
    const out = typeof v === "string" ? evaluateString(v, scope) : v;
    if (typeof out !== "string") throw new TemplateError(`The resource ${what} must be a string.`);
    return out;
  };

  const instances: ResourceInstance[] = [];
  for (const { decl, key, parent } of flat) {
    const copies: { index?: number; name?: string }[] = [];
    if (decl.copy) {
      copyState = undefined;
      const count = typeof decl.copy.count === "string" ? evaluateString(decl.copy.count, scope) : decl.copy.count;
      if (typeof count !== "number" || count < 0 || count > 800)
        throw new TemplateError(`The copy count of '${decl.copy.name}' must be an integer between 0 and 800.`);
      for (let i = 0; i < count; i++) copies.push({ index: i, name: decl.copy.name });
    } else copies.push({});
    for (const c of copies) {
      copyState = c.index === undefined ? undefined : { name: c.name, index: c.index };
      const cond = decl.condition === undefined ? true : evaluateValue(decl.condition, scope);
      if (cond === false) continue;
      let type = evalStr(decl.type, "type");
      let name = evalStr(decl.name, "name");
      const apiVersion = evalStr(decl.apiVersion, "apiVersion");
      if (parent && !type.includes("/")) {
        type = `${parent.type}/${type}`;
        name = `${evalStr(parent.name, "name")}/${name}`;
      }
      let id: string;
      const rgName = ctx.resourceGroup.name;
      const rgId = ctx.resourceGroup.id;
      let resourceGroup: string | undefined;
      if (type.toLowerCase() === "microsoft.resources/deployments") {
        resourceGroup = decl.resourceGroup ? evalStr(decl.resourceGroup, "resourceGroup") : rgName;
        if (decl.subscriptionId && evalStr(decl.subscriptionId, "subscriptionId") !== ctx.subscriptionId)
          throw new TemplateError("Nested deployments into another subscription are not supported by the sandbox.");
        id = `/subscriptions/${ctx.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Resources/deployments/${name}`;
      } else if (/\/providers\//i.test(type)) {
        // Legacy extension form: type `NS/parent/providers/ExtNS/ext`, name `parentName/ExtNS/extName`.
        const [baseType, extType] = type.split(/\/providers\//i) as [string, string];
        const baseSegs = baseType.split("/").length - 1;
        const nameParts = name.split("/");
        const baseNames = nameParts.slice(0, baseSegs);
        const extNames = nameParts.slice(baseSegs + 1);
        const [bns, ...btypes] = baseType.split("/");
        const base = `${rgId}/providers/${bns}/${btypes.map((t, k) => `${t}/${baseNames[k]}`).join("/")}`;
        const [ens, ...etypes] = extType.split("/");
        id = `${base}/providers/${ens}/${etypes.map((t, k) => `${t}/${extNames[k]}`).join("/")}`;
        type = extType;
        name = extNames.join("/");
      } else {
        const [ns, ...types] = type.split("/");
        const names = name.split("/");
        if (types.length !== names.length)
          throw new TemplateError(
            `Deployment template validation failed: 'The template resource '${name}' for type '${type}' at '${key}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name. A root resource type must have segment length one greater than its resource name.'`,
          );
        let base = rgId;
        if (decl.scope !== undefined) {
          const s = evalStr(decl.scope, "scope");
          base = s.startsWith("/") ? s : `${rgId}/providers/${s}`;
        }
        id = `${base}/providers/${ns}/${types.map((t, k) => `${t}/${names[k]}`).join("/")}`;
      }
      const dependsOn = (decl.dependsOn ?? []).map((d) => evalStr(d, "dependsOn entry"));
      if (parent) dependsOn.push(`__parent__:${evalStr(parent.type, "type")}:${evalStr(parent.name, "name")}`);
      instances.push({
        key: c.index === undefined ? key : `${key}[${c.index}]`,
        id,
        type,
        name,
        apiVersion,
        decl,
        copyIndex: c.index,
        copyName: c.name,
        dependsOn,
        resourceGroup,
      });
    }
    copyState = undefined;
  }

  // Resolve dependsOn: a resource id, a resource name, or `type/name`; a copy loop name depends on all its instances.
  const lower = (s: string) => s.toLowerCase();
  for (const inst of instances) {
    const resolved = new Set<string>();
    for (const dep of inst.dependsOn) {
      let matches: ResourceInstance[];
      if (dep.startsWith("__parent__:")) {
        const [, ptype, pname] = dep.split(":");
        matches = instances.filter((i) => lower(i.type) === lower(ptype!) && lower(i.name) === lower(pname!));
      } else
        matches = instances.filter(
          (i) =>
            lower(i.id) === lower(dep) ||
            lower(i.name) === lower(dep) ||
            lower(`${i.type}/${i.name}`) === lower(dep) ||
            (i.copyName !== undefined && lower(i.copyName) === lower(dep)) ||
            lower(i.id).endsWith(`/${lower(dep)}`),
        );
      if (matches.length === 0 && !dep.startsWith("__parent__:")) {
        const conditional = flat.some((f) => f.decl.condition !== undefined);
        if (!conditional)
          throw new TemplateError(
            `Deployment template validation failed: 'The resource '${dep}' is not defined in the template. Please see https://aka.ms/arm-syntax for usage details.'`,
          );
      }
      for (const m of matches) if (m !== inst) resolved.add(m.id);
    }
    inst.dependsOn = [...resolved];
  }
  const byId = new Map(instances.map((i) => [lower(i.id), i]));
  const dupes = instances.filter((i, k) => instances.findIndex((j) => lower(j.id) === lower(i.id)) !== k);
  if (dupes.length)
    throw new TemplateError(
      `Deployment template validation failed: 'The resource '${dupes[0]!.id}' is defined multiple times in a template. Please see https://aka.ms/arm-syntax-resources for usage details.'`,
    );
  // Circular dependency check.
  const state = new Map<string, number>();
  const visit = (i: ResourceInstance, path: string[]) => {
    const k = lower(i.id);
    if (state.get(k) === 2) return;
    if (state.get(k) === 1)
      throw new TemplateError(
        `Deployment template validation failed: 'Circular dependency detected on resource: '${i.id}'. Please see https://aka.ms/arm-syntax-resources for usage details.'`,
      );
    state.set(k, 1);
    for (const d of i.dependsOn) visit(byId.get(lower(d))!, [...path, k]);
    state.set(k, 2);
  };
  for (const i of instances) visit(i, []);

  return {
    parameters: params,
    resources: instances,
    scopeFor(instance, outputs = false) {
      inOutputs = outputs;
      copyState =
        instance?.copyIndex !== undefined ? { name: instance.copyName, index: instance.copyIndex } : undefined;
      return scope;
    },
  };
}

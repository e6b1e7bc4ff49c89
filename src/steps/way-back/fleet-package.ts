/**
 * Step: Fleet is ready and the `microsoft_sentinel` package is installed at the newest version this Kibana
 * accepts (`conditions.kibana.version` of the package manifest, e.g. "^8.18.0 || ^9.0.0"; elastic/integrations packages/microsoft_sentinel/manifest.yml).
 */
import type { Change, Check, Step, StepContext, TeardownStep } from "../../engine/types.js";
import { PreconditionError } from "../../errors.js";
import { installedVersion } from "../../fleet/packages.js";
import { coerceRelease, compareVersions, satisfies } from "../../lib/semver.js";
import type { PackageInfo } from "../../fleet/types.js";
import { fleetApi } from "./clients.js";
import { kibanaVersion } from "./context.js";
import { PACKAGE_NAME } from "../../names.js";
import { fleetUnavailable, T_AGENT_POLICY, T_PACKAGE, T_PACKAGE_POLICY } from "./teardown-common.js";

export const FLEET_PACKAGE_STEP = "way-back.fleet-package";

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared">;

/**
 * Fleet must be initialised with its security requirements met. A missing Fleet Server alone does not stop us:
 * the package policy can exist before an agent enrols, and agentless needs none.
 */
export async function assertFleetReady(ctx: Ctx): Promise<{ secretsStorage?: boolean; fleetServerMissing: boolean }> {
  const status = await (await fleetApi(ctx)).getFleetStatus();
  if (!status)
    throw new PreconditionError("Fleet is not available in this Kibana (GET /api/fleet/agents/setup answered 404).", {
      code: "FLEET_NOT_AVAILABLE",
      suggestion: "Enable the Fleet plugin (xpack.fleet.enabled) or use a deployment with Fleet, then re-run.",
    });
  const blocking = status.missing_requirements.filter((r) => r !== "fleet_server");
  if (!status.isReady && blocking.length)
    throw new PreconditionError(`Fleet is not set up: missing ${blocking.join(", ")}.`, {
      code: "FLEET_NOT_SET_UP",
      suggestion:
        "Open Kibana → Fleet once (or POST /api/fleet/setup) as a user with Fleet: all, and fix the missing requirements " +
        "(security and API keys must be enabled in Elasticsearch), then re-run.",
      details: { missing_requirements: status.missing_requirements },
    });
  return {
    secretsStorage: status.is_secrets_storage_enabled,
    fleetServerMissing: status.missing_requirements.includes("fleet_server"),
  };
}

/** A version we know exists (elastic/integrations packages/microsoft_sentinel/changelog.yml), used only to explain a 404. */
const REFERENCE_VERSION = "1.2.0";

function incompatible(version: string, range: string, kv: string): PreconditionError {
  return new PreconditionError(`${PACKAGE_NAME} ${version} needs Kibana ${range}; this stack runs Kibana ${kv}.`, {
    code: "FLEET_PACKAGE_INCOMPATIBLE",
    suggestion: `Upgrade the stack to a Kibana version in ${range}, or turn the integration off (--no-sentinel-to-elastic).`,
    details: { kibanaVersion: kv, packageVersion: version, range },
  });
}

export interface PackageChoice {
  version: string;
  installed?: string;
  info: PackageInfo;
}

declare module "../../engine/shared-state.js" {
  interface SharedState {
    /** The package version to use, chosen once per run (several steps need it). */
    wayBackPackage?: { choice?: Promise<PackageChoice> };
  }
}

/**
 * The newest version whose `conditions.kibana.version` this Kibana satisfies, among what Fleet offers.
 * Worked out once per run (several steps need it); `installed` is as read at that time.
 */
export function choosePackageVersion(ctx: Ctx): Promise<PackageChoice> {
  ctx.shared.wayBackPackage ??= {};
  const memo = ctx.shared.wayBackPackage;
  memo.choice ??= readPackageChoice(ctx);
  // A failed read may be retried by a later call.
  memo.choice.catch(() => {
    memo.choice = undefined;
  });
  return memo.choice;
}

async function readPackageChoice(ctx: Ctx): Promise<PackageChoice> {
  const fleet = await fleetApi(ctx);
  const kv = await kibanaVersion(ctx);
  const release = coerceRelease(kv);
  const kRelease = release ? `${release.major}.${release.minor}.${release.patch}` : kv;
  const current = await fleet.getPackageInfo(PACKAGE_NAME);
  if (!current) {
    // Fleet answers 404 when the registry has no version for this Kibana. Ask for a known version by number
    // (answered whatever its constraints) to tell "too old a stack" from "no registry".
    const known = await fleet.getPackageInfo(PACKAGE_NAME, REFERENCE_VERSION);
    const range = known?.conditions?.kibana?.version;
    if (range && !satisfies(kRelease, range)) throw incompatible(known.version, range, kv);
    throw new PreconditionError(
      `Fleet does not offer the ${PACKAGE_NAME} package (not found in the package registry).`,
      {
        code: "FLEET_PACKAGE_NOT_FOUND",
        suggestion:
          "Check that Kibana reaches its package registry (xpack.fleet.registryUrl) or upload the package to an air-gapped registry.",
      },
    );
  }
  const installed = installedVersion(current);
  const candidates = new Map<string, PackageInfo>([[current.version, current]]);
  for (const v of [current.latestVersion, installed]) {
    if (v && !candidates.has(v)) {
      const info = await fleet.getPackageInfo(PACKAGE_NAME, v);
      if (info) candidates.set(v, info);
    }
  }
  const compatible = [...candidates.values()]
    .filter((i) => !i.conditions?.kibana?.version || satisfies(kRelease, i.conditions.kibana.version))
    .sort((a, b) => compareVersions(b.version, a.version));
  const best = compatible[0];
  if (!best) {
    const newest = [...candidates.values()].sort((a, b) => compareVersions(b.version, a.version))[0]!;
    throw incompatible(newest.version, newest.conditions?.kibana?.version ?? "?", kv);
  }
  return { version: best.version, installed, info: best };
}

async function plan(ctx: StepContext): Promise<Change<{ version: string }>[]> {
  const fleet = await assertFleetReady(ctx);
  if (fleet.secretsStorage === false)
    ctx.io.message(
      "warn",
      "Fleet keeps secret vars in plain text in agent policies until every Fleet Server runs 8.10 or later " +
        "(is_secrets_storage_enabled is false): the integration's client secret will be readable by Fleet admins.",
    );
  if (fleet.fleetServerMissing)
    ctx.io.message("info", "Fleet has no Fleet Server yet: agents cannot enrol until one runs (agentless needs none).");
  const choice = await choosePackageVersion(ctx);
  const base = {
    step: FLEET_PACKAGE_STEP,
    target: "fleet" as const,
    resource: "integration package",
    name: PACKAGE_NAME,
  };
  if (choice.installed === choice.version)
    return [{ ...base, action: "no-op", reason: `${PACKAGE_NAME} ${choice.version} is installed` }];
  if (choice.installed && compareVersions(choice.installed, choice.version) > 0)
    return [
      {
        ...base,
        action: "no-op",
        reason: `${PACKAGE_NAME} ${choice.installed} is installed (newer than ${choice.version})`,
      },
    ];
  return [
    {
      ...base,
      action: choice.installed ? "update" : "create",
      reason: choice.installed
        ? `upgrade ${choice.installed} → ${choice.version}, the newest version for this Kibana`
        : `install ${choice.version}, the newest version for this Kibana`,
      diff: [{ field: "version", from: choice.installed, to: choice.version }],
      payload: { version: choice.version },
    },
  ];
}

async function apply(ctx: StepContext, changes: Change<{ version: string }>[]): Promise<void> {
  const fleet = await fleetApi(ctx);
  for (const c of changes) {
    if (c.action !== "create" && c.action !== "update") continue;
    await fleet.installPackage(PACKAGE_NAME, c.payload!.version);
  }
}

async function verify(ctx: StepContext): Promise<Check[]> {
  const started = ctx.now();
  const info = await (await fleetApi(ctx)).getPackageInfo(PACKAGE_NAME);
  const installed = installedVersion(info);
  return [
    {
      id: "way-back.package-installed",
      title: `Fleet package ${PACKAGE_NAME} is installed`,
      status: installed ? "pass" : "fail",
      evidence: installed ? `${PACKAGE_NAME} ${installed}` : undefined,
      durationMs: ctx.now() - started,
      ...(installed
        ? {}
        : { cause: "the package is not installed", remedy: "sentinel-elastic setup --sentinel-to-elastic" }),
    },
  ];
}

export const fleetPackageStep: Step<{ version: string }> = {
  id: FLEET_PACKAGE_STEP,
  title: "Fleet: microsoft_sentinel package",
  target: "fleet",
  enabled: (config) => config.features.sentinelToElastic,
  plan,
  apply,
  verify,
};

/**
 * Teardown, only with `--uninstall-packages`: other policies may use the package, and its dashboards and data
 * streams are the user's data.
 */
export const packageTeardown: TeardownStep<{ version: string }> = {
  id: T_PACKAGE,
  title: "Fleet: uninstall the microsoft_sentinel package",
  target: "fleet",
  after: [T_PACKAGE_POLICY, T_AGENT_POLICY],
  enabled: () => true,
  async plan(ctx) {
    const base = { step: T_PACKAGE, target: "fleet" as const, resource: "integration package", name: PACKAGE_NAME };
    const unavailable = await fleetUnavailable(ctx, base);
    if (unavailable) return unavailable;
    const version = installedVersion(await (await fleetApi(ctx)).getPackageInfo(PACKAGE_NAME));
    if (!version) return [{ ...base, action: "no-op", reason: "not installed" }];
    return [
      {
        ...base,
        action: "delete",
        reason: `uninstall ${version} (--uninstall-packages); its data streams and data stay`,
        destructive: true,
        payload: { version },
      },
    ];
  },
  async apply(ctx, changes) {
    const fleet = await fleetApi(ctx);
    for (const c of changes) if (c.action === "delete") await fleet.uninstallPackage(PACKAGE_NAME, c.payload!.version);
  },
};

/**
 * What the teardown steps share: the "anything of ours left?" check, and the teardown of one object found by
 * its deterministic id and deleted only when it carries our marker (src/ownership/marker.ts).
 */
import type { Change, Check, Step, StepContext, Target } from "../engine/types.js";

/** Verify of a teardown step: its plan again, which must have nothing left to change. */
export function remainingCheck(step: Pick<Step, "id" | "title">, changes: Change[]): Check[] {
  const left = changes.filter((c) => c.action !== "no-op");
  return [
    {
      id: `teardown.${step.id}`,
      title: step.title,
      status: left.length === 0 ? "pass" : "fail",
      evidence: left.length === 0 ? "nothing of ours left" : left.map((c) => `${c.resource} ${c.name}`).join(", "),
      remedy: left.length === 0 ? undefined : "Run `sentinel-elastic teardown` again.",
    },
  ];
}

/** The plan's reason for a look-alike: our name (`what`) without our marker. */
export const notOursReason = (what: string, marker: string) =>
  `has ${what} but not our marker (${marker}): someone else's, left alone`;

export interface OwnedObjectTeardown<T> {
  id: string;
  title: string;
  target: Target;
  after?: string[];
  /** What kind of object, as the plan shows it. */
  resource: string;
  /** What its name is, for the look-alike reason ("our id", "our rule_id"). */
  what: string;
  /** Its deterministic id. */
  name(ctx: StepContext): string;
  find(ctx: StepContext, name: string): Promise<T | undefined>;
  isOurs(ctx: StepContext, found: T | undefined): boolean;
  /** Our marker on it, as the plan shows it. */
  marker(ctx: StepContext): string;
  remove(ctx: StepContext, name: string): Promise<unknown>;
}

/** Teardown of one object by its deterministic id: deleted when there and ours; a look-alike is left alone. */
export function ownedObjectTeardown<T>(spec: OwnedObjectTeardown<T>): Step {
  return {
    id: spec.id,
    title: spec.title,
    target: spec.target,
    ...(spec.after ? { after: spec.after } : {}),
    enabled: () => true,
    async plan(ctx) {
      const name = spec.name(ctx);
      const base = { step: spec.id, target: spec.target, resource: spec.resource, name };
      const found = await spec.find(ctx, name);
      if (!found) return [{ ...base, action: "no-op", reason: "not there" }];
      if (!spec.isOurs(ctx, found))
        return [{ ...base, action: "no-op", reason: notOursReason(spec.what, spec.marker(ctx)) }];
      return [{ ...base, action: "delete", reason: `ours (${spec.marker(ctx)})`, destructive: true }];
    },
    async apply(ctx, changes) {
      if (!changes.some((c) => c.step === spec.id && c.action === "delete")) return;
      const name = spec.name(ctx);
      // Read again: never delete an object that is not (or no longer) ours.
      if (spec.isOurs(ctx, await spec.find(ctx, name))) await spec.remove(ctx, name);
    },
    async verify(ctx) {
      return remainingCheck(spec, await this.plan(ctx));
    },
  };
}

/**
 * A small evaluator for the libbeat processor conditions our echo filter uses (`or`, `and`, `not`, `regexp`,
 * `contains`, `equals`; libbeat/conditions), to test the exact condition we ship. `regexp` patterns are Go RE2:
 * this accepts only the subset that means the same in JavaScript (a leading `(?i)`, no other `(?` group, no
 * back-references or lookarounds) and fails on anything else, so a pattern that would differ in the agent
 * cannot pass here.
 */
type Event = Record<string, unknown>;

function field(event: Event, path: string): unknown {
  if (path in event) return event[path];
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Event)[k] : undefined), event);
}

export function re2ToJs(pattern: string): RegExp {
  let flags = "";
  let body = pattern;
  if (body.startsWith("(?i)")) {
    flags = "i";
    body = body.slice(4);
  }
  if (/\(\?/.test(body) || /\\[1-9]/.test(body) || /\\[pPkKu]/.test(body))
    throw new Error(`pattern outside the RE2/JS common subset: ${pattern}`);
  return new RegExp(body, flags);
}

export function evaluate(condition: Record<string, unknown>, event: Event): boolean {
  const [[kind, arg]] = Object.entries(condition) as [[string, unknown]];
  switch (kind) {
    case "or":
      return (arg as Record<string, unknown>[]).some((c) => evaluate(c, event));
    case "and":
      return (arg as Record<string, unknown>[]).every((c) => evaluate(c, event));
    case "not":
      return !evaluate(arg as Record<string, unknown>, event);
    case "regexp":
      return Object.entries(arg as Record<string, string>).every(([f, p]) => {
        const v = field(event, f);
        return typeof v === "string" && re2ToJs(p).test(v);
      });
    case "contains":
      return Object.entries(arg as Record<string, string>).every(([f, s]) => {
        const v = field(event, f);
        return typeof v === "string"
          ? v.includes(s)
          : Array.isArray(v) && v.some((x) => typeof x === "string" && x.includes(s));
      });
    case "equals":
      return Object.entries(arg as Record<string, unknown>).every(([f, s]) => field(event, f) === s);
    default:
      throw new Error(`condition ${kind} is not supported by this evaluator`);
  }
}

/** Does the processor list drop this event? Only `drop_event` matters for the filter. */
export function drops(processors: Record<string, { when?: Record<string, unknown> }>[], event: Event): boolean {
  return processors.some((p) => "drop_event" in p && (!p.drop_event!.when || evaluate(p.drop_event!.when, event)));
}

/**
 * The `message` the CEL program builds with `encode_json()` (Go encoding/json): compact, object keys sorted,
 * and `<`, `>`, `&` escaped as \u003c, \u003e, \u0026.
 */
export function encodeLikeCel(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v as Event)
              .sort()
              .map((k) => [k, sort((v as Event)[k])]),
          )
        : v;
  return JSON.stringify(sort(value)).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

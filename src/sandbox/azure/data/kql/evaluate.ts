/** Runs a parsed query over in-memory tables: one function per tabular operator. */
import type { Expr, NamedExpr, Operator, Query, SortKey } from "./ast.js";
import { type Compiled, compileExpr, type Scope, semantic } from "./compile-expr.js";
import { parseKql } from "./parser.js";
import { compileAggregate } from "./summarize.js";
import { type KqlColumn, type KqlContext, KqlError, type KqlRow, type KqlTable } from "./types.js";
import { compareValues, toKqlString } from "./values.js";

export function runKql(query: string | Query, ctx: KqlContext): KqlTable {
  const q = typeof query === "string" ? parseKql(query) : query;
  const input = ctx.table(q.source);
  if (!input)
    throw new KqlError(
      q.source === "source"
        ? "'source' is only defined in a data collection rule transformation"
        : `Failed to resolve table or column expression named '${q.source}'`,
      "SemanticError",
    );
  let table: KqlTable = { columns: [...input.columns], rows: input.rows };
  for (const op of q.ops) table = apply(op, table, ctx);
  return table;
}

function scopeOf(table: KqlTable, ctx: KqlContext, operator: string): Scope {
  return {
    columns: new Map(table.columns.map((c) => [c.name, c.type])),
    now: ctx.now,
    ingestionTime: ctx.ingestionTime,
    operator,
  };
}

/** Column name KQL gives an unnamed expression: the column itself, `a_b_c` for `a.b.c`, else `ColumnN`. */
export function autoName(e: Expr, fallback: string): string {
  if (e.k === "col") return e.name;
  if (e.k === "member") {
    const inner = autoName(e.target, "");
    return inner ? `${inner}_${e.name}` : fallback;
  }
  if (e.k === "index" && e.index.k === "lit" && typeof e.index.value === "string") {
    const inner = autoName(e.target, "");
    return inner ? `${inner}_${e.index.value}` : fallback;
  }
  return fallback;
}

function constant(e: Expr, ctx: KqlContext, operator: string): number {
  const c = compileExpr(e, { columns: new Map(), now: ctx.now, operator });
  const n = c.fn({});
  if (typeof n !== "number" || n < 0)
    throw new KqlError(`'${operator}' operator: expected a non-negative number`, "SemanticError");
  return Math.trunc(n);
}

function apply(op: Operator, t: KqlTable, ctx: KqlContext): KqlTable {
  switch (op.op) {
    case "where": {
      const pred = compileExpr(op.pred, scopeOf(t, ctx, "where"));
      if (pred.type !== "bool" && pred.type !== "dynamic")
        semantic(scopeOf(t, ctx, "where"), `the predicate must be bool, not '${pred.type}'`, op.pos);
      return { columns: t.columns, rows: t.rows.filter((r) => pred.fn(r) === true) };
    }
    case "project":
      return project(op.items, t, ctx, "project", false);
    case "extend":
      return project(op.items, t, ctx, "extend", true);
    case "project-away": {
      const scope = scopeOf(t, ctx, "project-away");
      for (const n of op.names)
        if (!scope.columns.has(n)) semantic(scope, `Failed to resolve column named '${n}'`, op.pos);
      const drop = new Set(op.names);
      return {
        columns: t.columns.filter((c) => !drop.has(c.name)),
        rows: t.rows.map((r) => {
          const o: KqlRow = {};
          for (const c of t.columns) if (!drop.has(c.name)) o[c.name] = r[c.name] ?? null;
          return o;
        }),
      };
    }
    case "project-rename": {
      const scope = scopeOf(t, ctx, "project-rename");
      const map = new Map<string, string>();
      for (const p of op.pairs) {
        if (!scope.columns.has(p.from)) semantic(scope, `Failed to resolve column named '${p.from}'`, op.pos);
        map.set(p.from, p.to);
      }
      return {
        columns: t.columns.map((c) => ({ ...c, name: map.get(c.name) ?? c.name })),
        rows: t.rows.map((r) => {
          const o: KqlRow = {};
          for (const c of t.columns) o[map.get(c.name) ?? c.name] = r[c.name] ?? null;
          return o;
        }),
      };
    }
    case "take":
      return { columns: t.columns, rows: t.rows.slice(0, constant(op.count, ctx, "take")) };
    case "top": {
      const sorted = sortRows(t, [op.key], ctx, "top");
      return { columns: t.columns, rows: sorted.slice(0, constant(op.count, ctx, "top")) };
    }
    case "sort":
      return { columns: t.columns, rows: sortRows(t, op.keys, ctx, "sort") };
    case "summarize":
      return summarize(op.aggs, op.by, t, ctx);
    case "count":
      return { columns: [{ name: "Count", type: "long" }], rows: [{ Count: t.rows.length }] };
    case "distinct": {
      const items =
        op.items === "*"
          ? t.columns.map((c) => ({ name: c.name, expr: { k: "col", name: c.name, pos: 0 } as Expr }))
          : op.items;
      const projected = project(items, t, ctx, "distinct", false);
      const seen = new Set<string>();
      const rows = projected.rows.filter((r) => {
        const key = projected.columns.map((c) => toKqlString(r[c.name] ?? null)).join("\u0000");
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      return { columns: projected.columns, rows };
    }
  }
}

function project(items: NamedExpr[], t: KqlTable, ctx: KqlContext, operator: string, keep: boolean): KqlTable {
  const scope = scopeOf(t, ctx, operator);
  const compiled: { name: string; c: Compiled }[] = [];
  let n = 0;
  for (const it of items) {
    const name = it.name ?? autoName(it.expr, `Column${++n}`);
    compiled.push({ name, c: compileExpr(it.expr, scope) });
  }
  let columns: KqlColumn[];
  if (keep) {
    columns = t.columns.map((c) => {
      const over = compiled.find((x) => x.name === c.name);
      return over ? { name: c.name, type: over.c.type } : c;
    });
    for (const x of compiled)
      if (!t.columns.some((c) => c.name === x.name)) columns.push({ name: x.name, type: x.c.type });
  } else {
    const names = new Set<string>();
    columns = [];
    for (const x of compiled) {
      if (names.has(x.name)) semantic(scope, `a column named '${x.name}' is defined more than once`);
      names.add(x.name);
      columns.push({ name: x.name, type: x.c.type });
    }
  }
  // Every output row is built in the same key order (one hidden class): far faster than spreading the input.
  // extend evaluates every expression against the input row (KQL semantics), then assigns.
  const names = columns.map((c) => c.name);
  const sources = names.map((name) => {
    const i = compiled.findIndex((x) => x.name === name);
    return i >= 0 ? i : -1;
  });
  const fns = compiled.map((x) => x.c.fn);
  const rows = t.rows.map((r) => {
    const vals = fns.map((fn) => fn(r));
    const o: KqlRow = {};
    for (let k = 0; k < names.length; k++) {
      const src = sources[k]!;
      o[names[k]!] = src >= 0 ? vals[src]! : (r[names[k]!] ?? null);
    }
    return o;
  });
  return { columns, rows };
}

function sortRows(t: KqlTable, keys: SortKey[], ctx: KqlContext, operator: string): KqlRow[] {
  const scope = scopeOf(t, ctx, operator);
  const cs = keys.map((k) => ({ k, c: compileExpr(k.expr, scope) }));
  const decorated = t.rows.map((row, i) => ({ row, i, vals: cs.map((x) => x.c.fn(row)) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < cs.length; j++) {
      const { k } = cs[j]!;
      const va = a.vals[j] ?? null;
      const vb = b.vals[j] ?? null;
      const an = va === null;
      const bn = vb === null;
      if (an || bn) {
        if (an && bn) continue;
        return (an ? -1 : 1) * (k.nullsFirst ? 1 : -1);
      }
      const c = compareValues(va, vb);
      if (c !== 0) return k.desc ? -c : c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.row);
}

function summarize(aggs: NamedExpr[], by: NamedExpr[], t: KqlTable, ctx: KqlContext): KqlTable {
  const scope = scopeOf(t, ctx, "summarize");
  let n = 0;
  const keys = by.map((b) => {
    const inner = b.expr.k === "call" && (b.expr.name === "bin" || b.expr.name === "floor") ? b.expr.args[0]! : b.expr;
    return { name: b.name ?? autoName(inner, `Column${++n}`), c: compileExpr(b.expr, scope) };
  });
  const keyNames = new Set(keys.map((k) => k.name));
  const aggregates = aggs.map((a) => compileAggregate(a, scope, keyNames));
  const groups = new Map<string, { keyVals: unknown[]; rows: KqlRow[] }>();
  for (const row of t.rows) {
    const keyVals = keys.map((k) => k.c.fn(row));
    const key = keyVals.map((v) => toKqlString(v as never)).join("\u0000");
    let g = groups.get(key);
    if (!g) {
      g = { keyVals, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(row);
  }
  // With no `by`, summarize always yields one row, even over no input.
  if (keys.length === 0 && groups.size === 0) groups.set("", { keyVals: [], rows: [] });
  const columns: KqlColumn[] = [
    ...keys.map((k) => ({ name: k.name, type: k.c.type })),
    ...aggregates.flatMap((a) => a.columns),
  ];
  const rows = [...groups.values()].map((g) => {
    const o: KqlRow = {};
    keys.forEach((k, i) => {
      o[k.name] = g.keyVals[i] as never;
    });
    for (const a of aggregates) {
      const vals = a.reduce(g.rows);
      a.columns.forEach((c, i) => {
        o[c.name] = vals[i] ?? null;
      });
    }
    return o;
  });
  return { columns, rows };
}

/**
 * The Elasticsearch emulator's documents: plain indices, `logs-*-*` data streams (backed by
 * `.ds-<stream>-<yyyy.MM.dd>-000001`, append-only, `@timestamp` required) and the security alerts index
 * `.internal.alerts-security.alerts-<space>-000001` behind the alias `.alerts-security.alerts-<space>`.
 *
 * ES: the built-in `logs` index template matches `logs-*-*` with `data_stream: {}`
 * (x-pack/plugin/core/template-resources/.../logs@template.json), so a write to such a name creates a
 * data stream; writes to data streams must use op_type=create.
 */
import { randomUUID } from "node:crypto";
import type { SandboxClock } from "../../common/clock.js";
import { globMatch } from "../glob.js";

export interface StoredDoc {
  _id: string;
  _source: Record<string, unknown>;
  _version: number;
  _seq_no: number;
}

export interface IndexData {
  name: string;
  docs: Map<string, StoredDoc>;
  /** Data stream this index backs, if any. */
  dataStream?: string;
  aliases: Set<string>;
  hidden: boolean;
}

export class EsError extends Error {
  constructor(
    public status: number,
    public type: string,
    public reason: string,
    public extra: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

export interface IndexResult {
  index: string;
  id: string;
  result: "created" | "updated";
  version: number;
  seqNo: number;
}

const DATA_STREAM_PATTERN = "logs-*-*";

export class DocStore {
  readonly indices = new Map<string, IndexData>();
  readonly dataStreams = new Map<string, string>(); // stream -> backing index
  private seq = 0;

  constructor(private clock: SandboxClock) {}

  private backingName(stream: string): string {
    const d = this.clock.date();
    const ymd = `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, "0")}.${String(d.getUTCDate()).padStart(2, "0")}`;
    return `.ds-${stream}-${ymd}-000001`;
  }

  createIndex(name: string, options: { aliases?: string[]; dataStream?: string } = {}): IndexData {
    const existing = this.indices.get(name);
    if (existing) return existing;
    const data: IndexData = {
      name,
      docs: new Map(),
      aliases: new Set(options.aliases ?? []),
      dataStream: options.dataStream,
      hidden: name.startsWith("."),
    };
    this.indices.set(name, data);
    return data;
  }

  /** The alerts index of a space, created on first write as the alerting framework does. */
  alertsIndex(space: string): IndexData {
    return this.createIndex(`.internal.alerts-security.alerts-${space}-000001`, {
      aliases: [`.alerts-security.alerts-${space}`],
    });
  }

  /** Resolve the concrete index a write to `target` lands in (creating it or its data stream). */
  private writeTarget(target: string, opType: "index" | "create", hasId: boolean): IndexData {
    validateIndexName(target);
    const ds = this.dataStreams.get(target);
    if (ds) {
      if (opType !== "create" && hasId)
        throw new EsError(
          400,
          "illegal_argument_exception",
          `only write ops with an op_type of create are allowed in data streams`,
        );
      return this.indices.get(ds)!;
    }
    const direct = this.indices.get(target);
    if (direct) return direct;
    for (const idx of this.indices.values()) if (idx.aliases.has(target)) return idx;
    const alertsSpace = /^\.alerts-security\.alerts-(.+)$/.exec(target);
    if (alertsSpace) return this.alertsIndex(alertsSpace[1]!);
    if (globMatch(DATA_STREAM_PATTERN, target)) {
      if (opType !== "create" && hasId)
        throw new EsError(
          400,
          "illegal_argument_exception",
          `only write ops with an op_type of create are allowed in data streams`,
        );
      const backing = this.backingName(target);
      this.dataStreams.set(target, backing);
      return this.createIndex(backing, { dataStream: target });
    }
    return this.createIndex(target);
  }

  index(target: string, source: Record<string, unknown>, opts: { id?: string; opType?: "index" | "create" } = {}) {
    const opType = opts.opType ?? "index";
    const idx = this.writeTarget(target, opType, opts.id !== undefined);
    if (idx.dataStream && source["@timestamp"] === undefined)
      throw new EsError(
        400,
        "document_parsing_exception",
        "[1:1] failed to parse: data stream timestamp field [@timestamp] is missing",
      );
    const id = opts.id ?? randomUUID().replace(/-/g, "").slice(0, 20);
    const prev = idx.docs.get(id);
    if (prev && opType === "create")
      throw new EsError(
        409,
        "version_conflict_engine_exception",
        `[${id}]: version conflict, document already exists (current version [${prev._version}])`,
        {
          index: idx.name,
        },
      );
    const doc: StoredDoc = { _id: id, _source: source, _version: (prev?._version ?? 0) + 1, _seq_no: this.seq++ };
    idx.docs.set(id, doc);
    return {
      index: idx.name,
      id,
      result: prev ? "updated" : "created",
      version: doc._version,
      seqNo: doc._seq_no,
    } as IndexResult;
  }

  /**
   * Expand an index expression (comma list, wildcards, aliases, data streams) to concrete indices.
   * Wildcards skip hidden (dot) indices unless the pattern itself starts with a dot, as ES's
   * `expand_wildcards=open` does.
   */
  resolve(expression: string, { allowMissing = false } = {}): IndexData[] {
    const out = new Map<string, IndexData>();
    for (const raw of expression.split(",")) {
      const part = raw.trim();
      if (!part || part === "_all" || part === "*") {
        for (const i of this.indices.values())
          if (!i.hidden || (i.dataStream && !i.dataStream.startsWith("."))) out.set(i.name, i);
        continue;
      }
      if (part.startsWith("-")) {
        for (const name of [...out.keys()]) if (globMatch(part.slice(1), name)) out.delete(name);
        continue;
      }
      const wildcard = part.includes("*");
      let found = false;
      for (const [stream, backing] of this.dataStreams) {
        if (globMatch(part, stream)) {
          out.set(backing, this.indices.get(backing)!);
          found = true;
        }
      }
      for (const i of this.indices.values()) {
        if (i.dataStream) {
          if (!wildcard && i.name === part) {
            out.set(i.name, i);
            found = true;
          }
          continue;
        }
        const visible = !wildcard || !i.hidden || part.startsWith(".");
        if (visible && (globMatch(part, i.name) || [...i.aliases].some((a) => globMatch(part, a)))) {
          out.set(i.name, i);
          found = true;
        }
      }
      if (!found && !wildcard && !allowMissing)
        throw new EsError(404, "index_not_found_exception", `no such index [${part}]`, {
          "resource.type": "index_or_alias",
          "resource.id": part,
          index_uuid: "_na_",
          index: part,
        });
    }
    return [...out.values()];
  }

  get(target: string, id: string): { index: string; doc: StoredDoc } | undefined {
    for (const idx of this.resolve(target)) {
      const doc = idx.docs.get(id);
      if (doc) return { index: idx.name, doc };
    }
    return undefined;
  }

  delete(target: string, id: string): { index: string; doc: StoredDoc } | undefined {
    for (const idx of this.resolve(target)) {
      const doc = idx.docs.get(id);
      if (doc) {
        idx.docs.delete(id);
        return { index: idx.name, doc };
      }
    }
    return undefined;
  }

  get docCount(): number {
    let n = 0;
    for (const i of this.indices.values()) n += i.docs.size;
    return n;
  }
}

/** ES index-name rules (MetadataCreateIndexService.validateIndexOrAliasName). */
export function validateIndexName(name: string): void {
  const bad = (why: string) => {
    throw new EsError(400, "invalid_index_name_exception", `Invalid index name [${name}], ${why}`, { index: name });
  };
  if (name !== name.toLowerCase()) bad("must be lowercase");
  if (/[\\/*?"<>| ,#]/.test(name))
    bad("must not contain the following characters ['\\\\', '/', '*', '?', '\"', '<', '>', '|', ' ', ',', '#']");
  if (/^[-_+]/.test(name)) bad("must not start with '_', '-', or '+'");
}

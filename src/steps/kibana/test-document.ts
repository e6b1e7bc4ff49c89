/**
 * A test document in `logs-sentinel_elastic.test-default` whose message matches the default rule, with a
 * unique marker, written before the rule is created so that the rule's first run raises an alert that verify follows to Sentinel. A run finds a recent
 * test document (last 24 hours) and reuses its marker instead of adding another, so re-runs change nothing.
 */
import { randomUUID } from "node:crypto";
import type { Change, Check, Step } from "../../engine/types.js";
import { TEST_DATA_STREAM } from "../../names.js";
import { KIBANA_PREFLIGHT } from "./preflight.js";
import type { KibanaStepContext } from "./stack.js";

export const KIBANA_TEST_DOCUMENT = "kibana-test-document";
export const MARKER_FIELD = "labels.sentinel_elastic_marker";
const REUSE_WINDOW_MS = 24 * 3600_000;
const DEFAULT_QUERY = "message:malware";

/** What verify reads from ctx.shared.testDocument. */
export interface TestDocumentState {
  marker: string;
  index: string;
  id?: string;
  timestamp: string;
}

declare module "../../engine/shared-state.js" {
  interface SharedState {
    /** The test document this run found or wrote (plan / apply), for verify. */
    testDocument?: TestDocumentState;
  }
}

type Ctx = KibanaStepContext & { now: () => number };

export function testDocument(marker: string, timestamp: string): Record<string, unknown> {
  return {
    "@timestamp": timestamp,
    message: `sentinel-elastic test event: malware detected (marker ${marker})`,
    event: { kind: "event", category: ["malware"], dataset: "sentinel_elastic.test" },
    host: { name: "sentinel-elastic-test-host" },
    user: { name: "sentinel-elastic-test-user" },
    // TEST-NET-2 (RFC 5737): never a real address.
    source: { ip: "198.51.100.23" },
    labels: { sentinel_elastic_marker: marker },
    data_stream: { type: "logs", dataset: "sentinel_elastic.test", namespace: "default" },
  };
}

async function findRecent(ctx: Ctx): Promise<TestDocumentState | undefined> {
  const es = await ctx.clients.elasticsearch();
  const since = new Date(ctx.now() - REUSE_WINDOW_MS).toISOString();
  const hits = await es.search<{ "@timestamp": string; labels?: { sentinel_elastic_marker?: string } }>(
    TEST_DATA_STREAM,
    { bool: { filter: [{ exists: { field: MARKER_FIELD } }, { range: { "@timestamp": { gte: since } } }] } },
    { size: 1, sort: [{ "@timestamp": { order: "desc" } }] },
  );
  const hit = hits[0];
  const marker = hit?._source?.labels?.sentinel_elastic_marker;
  return hit && marker ? { marker, index: hit._index, id: hit._id, timestamp: hit._source!["@timestamp"] } : undefined;
}

export async function planTestDocument(ctx: Ctx): Promise<Change[]> {
  const base = {
    step: KIBANA_TEST_DOCUMENT,
    target: "elasticsearch" as const,
    resource: "test document",
    name: TEST_DATA_STREAM,
  };
  const caveat =
    ctx.config.rule.query === DEFAULT_QUERY ? "" : " (it matches the default query; yours may not match it)";
  const recent = await findRecent(ctx);
  if (recent) {
    ctx.shared.testDocument = recent;
    return [
      {
        ...base,
        action: "no-op",
        reason: `a test document from ${recent.timestamp} is there (marker ${recent.marker})${caveat}`,
      },
    ];
  }
  return [{ ...base, action: "create", reason: `so the next rule run raises an alert to follow${caveat}` }];
}

export async function applyTestDocument(ctx: Ctx, changes: Change[]): Promise<void> {
  if (!changes.some((c) => c.step === KIBANA_TEST_DOCUMENT && c.action === "create")) return;
  const es = await ctx.clients.elasticsearch();
  const marker = `sentinel-elastic-test-${randomUUID()}`;
  const timestamp = new Date(ctx.now()).toISOString();
  const res = await es.createDocument(TEST_DATA_STREAM, testDocument(marker, timestamp), marker);
  ctx.shared.testDocument = { marker, index: res.index, id: res.id, timestamp };
}

export async function verifyTestDocument(ctx: Ctx): Promise<Check[]> {
  const state = ctx.shared.testDocument;
  const found = state ?? (await findRecent(ctx));
  const id = `${KIBANA_TEST_DOCUMENT}.present`;
  const title = "Test document indexed for the rule";
  if (!found) {
    return [
      {
        id,
        title,
        status: "fail",
        cause: `no test document in ${TEST_DATA_STREAM}`,
        remedy: "Re-run `sentinel-elastic setup`.",
      },
    ];
  }
  return [{ id, title, status: "pass", evidence: `marker ${found.marker} at ${found.timestamp}` }];
}

export const testDocumentStep: Step = {
  id: KIBANA_TEST_DOCUMENT,
  title: "Test document for the detection rule",
  target: "elasticsearch",
  // Before the detection rule: the rule's first run (right after it is created) then finds the test data stream
  // and the document, instead of a partial failure "no index matching" and an alert one interval later.
  after: [KIBANA_PREFLIGHT],
  enabled: (config) => config.features.alertForwarding,
  plan: planTestDocument,
  apply: applyTestDocument,
  verify: verifyTestDocument,
};

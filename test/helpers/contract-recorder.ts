/**
 * Records every request the emulators receive (through the sandbox router's generic observer) and checks each
 * against the published contracts (contract-checker.ts). What is recorded: what the CLI sends to Kibana (Fleet
 * included), Elasticsearch and Resource Manager, and what the Logic App workflows' HTTP actions send to Resource
 * Manager, the Logs Ingestion API, Log Analytics and Microsoft Graph. Not checked here: trigger calls into our own
 * workflows (their contract is our template's trigger schema) and token calls (the fake az's and the SDK's business).
 */
import { type ObservedRequest, observeSandboxRequests } from "../../src/sandbox/common/router.js";
import { type Breach, type RecordedRequest, checkRequest, findOperation, newMemory } from "./contract-checker.js";

export const CHECKED_SERVICES = [
  "kibana",
  "elasticsearch",
  "resource-manager",
  "logs-ingestion",
  "log-analytics",
  "graph",
];

export interface ContractRecorder {
  readonly requests: RecordedRequest[];
  /** Every breach of every request recorded so far, in order. */
  breaches(): Breach[];
  /** The contract families the recorded requests exercised, with how many requests each. */
  families(): Map<string, number>;
  /** Requests matching `method` and a path fragment, for tests that show a particular shape was sent. */
  find(method: string, pathPart: string | RegExp): RecordedRequest[];
  stop(): void;
}

const toRecorded = (r: ObservedRequest): RecordedRequest => ({
  service: r.service,
  method: r.method,
  path: r.path,
  query: r.query,
  headers: r.headers,
  raw: r.raw.toString("utf8"),
});

export function recordContracts(services: string[] = CHECKED_SERVICES): ContractRecorder {
  const requests: RecordedRequest[] = [];
  const stop = observeSandboxRequests((r) => {
    if (services.includes(r.service)) requests.push(toRecorded(r));
  });
  return {
    requests,
    breaches() {
      const memory = newMemory();
      return requests.flatMap((r) => checkRequest(r, memory));
    },
    families() {
      const out = new Map<string, number>();
      for (const r of requests) {
        const family = findOperation(r)?.family ?? "unknown";
        out.set(family, (out.get(family) ?? 0) + 1);
      }
      return out;
    },
    find(method, pathPart) {
      return requests.filter(
        (r) =>
          r.method === method && (typeof pathPart === "string" ? r.path.includes(pathPart) : pathPart.test(r.path)),
      );
    },
    stop,
  };
}

/** Breaches as lines a failing test prints: one per breach, family and message. */
export const describeBreaches = (b: Breach[]): string =>
  b.map((x) => `[${x.family}] ${x.rule}: ${x.message}`).join("\n") || "(none)";

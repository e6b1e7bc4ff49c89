/**
 * startElasticSandbox: an Elasticsearch emulator and a Kibana emulator on 127.0.0.1 ephemeral ports,
 * sharing one state, one clock and one fault injector.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClock, type SandboxClock } from "../common/clock.js";
import { createFaultInjector, type FaultInjector, type FaultOptions } from "../common/faults.js";
import { createRealm } from "./auth.js";
import { type LicenseType, newSpace, type SandboxContext } from "./context.js";
import { createEsRouter } from "./es/server.js";
import { DocStore } from "./es/store.js";
import { createRuleScheduler } from "./kibana/rules/run.js";
import type { FleetEmulator, FleetEmulatorOptions } from "../elastic-fleet/index.js";
import { createKibanaHandler } from "./kibana/server.js";
import { createState, type ElasticSandboxState } from "./state.js";
import { parseVersion } from "./version.js";

export interface ElasticSandboxOptions {
  /** Kibana (and Elasticsearch) version to behave as: '8.11.4' | '8.17.0' | '9.2.0' … (default '9.2.0'). */
  kibanaVersion?: string;
  license?: LicenseType;
  spaces?: string[];
  /** The sandbox clock (default: a manual clock starting when the sandbox starts; time moves by `clock.advance`). */
  clock?: SandboxClock;
  faults?: FaultOptions;
  /** PEM CAs trusted for outgoing connector / action HTTPS. */
  extraCaCerts?: string[];
  /** alerting `has_permanent_encryption_key` (default true). */
  encryptionKey?: boolean;
  /** xpack.actions.allowedHosts for outgoing calls (default: loopback only). */
  allowedHosts?: string[];
  /** Options of the Fleet emulator mounted on the Kibana emulator (src/sandbox/elastic-fleet). */
  fleet?: FleetEmulatorOptions;
  /**
   * `strict` (default): refuse `compatible-with=N` headers the server major does not accept, as real ES
   * does (the v9 client against 8.x). `lenient`: accept any, as a stop-gap while a client is fixed.
   */
  esCompatibilityHeaders?: "strict" | "lenient";
}

export interface ElasticSandbox {
  kibanaUrl: string;
  elasticsearchUrl: string;
  /** Encoded API key for `Authorization: ApiKey <apiKey>` (superuser). */
  apiKey: string;
  username: string;
  password: string;
  clock: SandboxClock;
  state: ElasticSandboxState;
  faults: FaultInjector;
  /** The Fleet emulator behind /api/fleet/* on the Kibana URL. */
  fleet: FleetEmulator;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

export async function startElasticSandbox(options: ElasticSandboxOptions = {}): Promise<ElasticSandbox> {
  const version = options.kibanaVersion ?? "9.2.0";
  parseVersion(version);
  const clock = options.clock ?? createClock({ start: Date.now() });
  const faults = createFaultInjector(options.faults);
  const spaces = options.spaces?.length ? options.spaces : ["default"];
  const ctx: SandboxContext = {
    clock,
    realm: createRealm(),
    store: new DocStore(clock),
    license: { type: options.license ?? "platinum", status: "active", uid: randomUUID(), issuedAt: clock.now() },
    version,
    encryptionKey: options.encryptionKey ?? true,
    extraCaCerts: options.extraCaCerts ?? [],
    allowedHosts: options.allowedHosts ?? ["127.0.0.1", "localhost", "::1", "[::1]"],
    spaces: new Map(spaces.map((s) => [s, newSpace(s)])),
    kibanaUrl: "",
    outgoing: [],
    seq: 0,
    esCompatibilityHeaders: options.esCompatibilityHeaders ?? "strict",
  };
  const scheduler = createRuleScheduler(ctx);
  const esRouter = createEsRouter(ctx, faults);
  const esServer = createServer((req, res) => void esRouter.handle(req, res));
  const kibana = createKibanaHandler(ctx, faults, scheduler, options.fleet);
  const kbServer = createServer(kibana.handle);
  const [elasticsearchUrl, kibanaUrl] = await Promise.all([listen(esServer), listen(kbServer)]);
  ctx.kibanaUrl = kibanaUrl;
  const key = ctx.realm.createApiKey({ name: "sandbox-superuser", superuser: true });
  const state = createState(ctx, scheduler);

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    kibanaUrl,
    elasticsearchUrl,
    apiKey: key.encoded,
    username: ctx.realm.superuser.username,
    password: ctx.realm.superuser.password,
    clock,
    state,
    faults,
    fleet: kibana.fleet,
    async stop() {
      scheduler.stop();
      if (!options.clock) clock.stop();
      await Promise.all([close(esServer), close(kbServer)]);
    },
  };
}

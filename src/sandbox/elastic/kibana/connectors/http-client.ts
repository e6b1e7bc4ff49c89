/**
 * Outgoing HTTP for connectors, the way Kibana's actions plugin does it: axios (so 301/302 on a POST
 * is followed as a GET, exactly like Kibana, kibana#266724), a custom https agent carrying the CA /
 * client certificate / verificationMode of the connector (ACT/server/lib/get_custom_agents.ts), and
 * `xpack.actions.allowedHosts` checked before every request and redirect
 * (ACT/server/actions_config.ts `ensureUriAllowed`: "target url … is not added to the Kibana config
 * xpack.actions.allowedHosts"). In the sandbox allowedHosts defaults to loopback only, so nothing
 * leaves the machine.
 */
import https from "node:https";
import { rootCertificates } from "node:tls";
import axios, { type AxiosResponse, type Method } from "axios";
import { recordOutgoing, type SandboxContext } from "../../context.js";
import { trustContext } from "../../../../lib/trust.js";

export interface SslOverrides {
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
  ca?: Buffer;
  verificationMode?: "none" | "certificate" | "full";
}

export function ensureUriAllowed(ctx: SandboxContext, url: string): void {
  const allowed = ctx.allowedHosts;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error(`target url "${url}" is not added to the Kibana config xpack.actions.allowedHosts`);
  }
  if (!allowed.includes("*") && !allowed.includes(host))
    throw new Error(`target url "${url}" is not added to the Kibana config xpack.actions.allowedHosts`);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Whatever allowedHosts says (tests may widen it to check URL validation), the sandbox itself only
 * ever connects to loopback: nothing may leave the machine (team rules).
 */
function ensureLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host)) {
    const err = new Error(`getaddrinfo ENOTFOUND ${host} (the sandbox connects only to 127.0.0.1)`) as Error & {
      code: string;
    };
    err.code = "ENOTFOUND";
    throw err;
  }
}

function agentFor(ctx: SandboxContext, ssl: SslOverrides): https.Agent {
  const cas = [...ctx.extraCaCerts, ...(ssl.ca ? [ssl.ca.toString("utf8")] : [])];
  // Without a client certificate the trust store is the same for every call: build it once (src/lib/trust.ts).
  // With one, the agent parses it per call as Kibana does, so a bad key or passphrase fails the call, not setup.
  const trust =
    ssl.cert || ssl.key || ssl.pfx ? { ca: [...rootCertificates, ...cas] } : { secureContext: trustContext(cas) };
  return new https.Agent({
    ...trust,
    cert: ssl.cert,
    key: ssl.key,
    pfx: ssl.pfx,
    passphrase: ssl.passphrase,
    rejectUnauthorized: ssl.verificationMode !== "none",
    ...(ssl.verificationMode === "certificate" ? { checkServerIdentity: () => undefined } : {}),
  });
}

export interface OutgoingRequest {
  connectorId: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  data?: string;
  auth?: { username: string; password: string };
  ssl?: SslOverrides;
}

/** Send one request; resolves with the axios response, rejects with the axios error (as Kibana's `request`). */
export async function sendRequest(ctx: SandboxContext, r: OutgoingRequest): Promise<AxiosResponse> {
  ensureUriAllowed(ctx, r.url);
  ensureLoopback(r.url);
  const call = {
    at: ctx.clock.date().toISOString(),
    connectorId: r.connectorId,
    method: r.method.toUpperCase(),
    url: r.url,
  } as {
    at: string;
    connectorId: string;
    method: string;
    url: string;
    status?: number;
    error?: string;
  };
  recordOutgoing(ctx, call);
  try {
    const res = await axios.request({
      url: r.url,
      method: r.method as Method,
      headers: r.headers,
      ...(r.data !== undefined && r.data !== null && r.data !== "" ? { data: r.data } : {}),
      auth: r.auth,
      httpsAgent: agentFor(ctx, r.ssl ?? {}),
      proxy: false,
      timeout: 60_000,
      beforeRedirect: (options: Record<string, unknown>) => {
        ensureUriAllowed(ctx, `http://${String(options.hostname)}`);
        ensureLoopback(`http://${String(options.hostname)}`);
      },
    });
    call.status = res.status;
    return res;
  } catch (err) {
    const e = err as { response?: { status: number }; message: string };
    call.status = e.response?.status;
    call.error = e.message;
    throw err;
  }
}

/** Test helpers: a started sandbox, a Kibana axios client, and a local HTTP receiver. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import axios, { type AxiosInstance } from "axios";
import {
  type ElasticSandbox,
  type ElasticSandboxOptions,
  startElasticSandbox,
} from "../../../src/sandbox/elastic/index.js";

export async function sandbox(options?: ElasticSandboxOptions): Promise<ElasticSandbox> {
  return startElasticSandbox(options);
}

/** axios against Kibana with ApiKey auth and kbn-xsrf; never throws on status. */
export function kibana(sb: ElasticSandbox, space?: string, extraHeaders: Record<string, string> = {}): AxiosInstance {
  return axios.create({
    baseURL: space ? `${sb.kibanaUrl}/s/${space}` : sb.kibanaUrl,
    headers: { Authorization: `ApiKey ${sb.apiKey}`, "kbn-xsrf": "true", ...extraHeaders },
    validateStatus: () => true,
  });
}

export function es(sb: ElasticSandbox): AxiosInstance {
  return axios.create({
    baseURL: sb.elasticsearchUrl,
    headers: { Authorization: `ApiKey ${sb.apiKey}` },
    validateStatus: () => true,
  });
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** `headers` entries set to undefined are removed (e.g. to answer without a content-type). */
export type Reply = { status?: number; headers?: Record<string, string | undefined>; body?: unknown };

/** A local HTTP receiver: records every request and answers with `reply(req)` (default 200 {}). */
export async function receiver(reply: (r: Received) => Reply = () => ({})): Promise<{
  url: string;
  received: Received[];
  close(): Promise<void>;
  server: Server;
}> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      const out = reply(r);
      const body = out.body === undefined ? "{}" : typeof out.body === "string" ? out.body : JSON.stringify(out.body);
      const headers: Record<string, string | undefined> = {
        "content-type": "application/json",
        ...(out.headers ?? {}),
      };
      for (const [k, v] of Object.entries(headers)) if (v === undefined) delete headers[k];
      res.writeHead(out.status ?? 200, headers as Record<string, string>);
      res.end(out.status === 204 ? undefined : body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A valid `.cases-webhook` config pointing at `base`. */
export function casesWebhookConfig(base: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    createIncidentUrl: `${base}/incidents`,
    createIncidentMethod: "post",
    createIncidentJson: '{"title": {{{case.title}}}, "description": {{{case.description}}}, "tags": {{{case.tags}}}}',
    createIncidentResponseKey: "id",
    getIncidentUrl: `${base}/incidents/{{{external.system.id}}}`,
    getIncidentResponseExternalTitleKey: "title",
    viewIncidentUrl: `${base}/view/{{{external.system.id}}}`,
    updateIncidentUrl: `${base}/incidents/{{{external.system.id}}}`,
    updateIncidentMethod: "put",
    updateIncidentJson: '{"title": {{{case.title}}}, "id": {{{external.system.id}}}}',
    createCommentUrl: `${base}/incidents/{{{external.system.id}}}/comments`,
    createCommentMethod: "post",
    createCommentJson: '{"comment": {{{case.comment}}}, "incident": {{{external.system.id}}}}',
    hasAuth: false,
    ...extra,
  };
}

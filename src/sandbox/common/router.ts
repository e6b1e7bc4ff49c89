/**
 * A tiny router for the emulators: `METHOD /path/:param` patterns, JSON bodies, and one place where
 * fault injection and body-size limits apply. Emulators answer with the status codes and error shapes of
 * the service they stand in for; this file only carries requests to their handlers.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector } from "./faults.js";

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the handler. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body bytes. */
  raw: Buffer;
  /** The body parsed as JSON; undefined when empty; throws BadJson when it is not JSON. */
  json(): unknown;
  /** The underlying request, for emulators that need the socket or URL. */
  req: IncomingMessage;
}

export interface SandboxResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as-is (string/Buffer) rather than JSON. */
  rawBody?: boolean;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export class BadJson extends Error {}

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export interface RouterOptions {
  /** The service this router stands in for ("kibana", "resource-manager", …), as observers see it. */
  service?: string;
  faults?: FaultInjector;
  /** Largest accepted body in bytes (default 10 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Called before routing; a response returned here is sent instead (auth, xsrf checks). */
  before?: (req: SandboxRequest) => SandboxResponse | undefined | Promise<SandboxResponse | undefined>;
  /** Response for an unknown route. */
  notFound?: (req: SandboxRequest) => SandboxResponse;
  /** Response for a handler that threw. */
  onError?: (err: unknown, req: SandboxRequest) => SandboxResponse;
}

/** A request as it reached an emulator, before the emulator judged it: for observers outside the sandbox. */
export interface ObservedRequest {
  service: string;
  method: string;
  /** Path as the router routes it (Kibana's `/s/<space>` prefix already stripped), without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

const observers = new Set<(r: ObservedRequest) => void>();

/**
 * Watch every request any emulator in this process receives (a generic tap: tests record traffic with it).
 * Returns the function that stops watching. An observer that throws is not the request's problem: it is ignored.
 */
export function observeSandboxRequests(observer: (r: ObservedRequest) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

export interface Router {
  on(method: string, pattern: string, handler: Handler): Router;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

function match(parts: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "*") {
      params["*"] = segments.slice(i).join("/");
      return params;
    }
    const seg = segments[i];
    if (seg === undefined) return undefined;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part.toLowerCase() !== seg.toLowerCase()) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function send(res: ServerResponse, out: SandboxResponse): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  let payload: string | Buffer | undefined;
  if (out.body !== undefined && out.status !== 204) {
    if (out.rawBody) payload = out.body as string | Buffer;
    else {
      payload = JSON.stringify(out.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
        headers["content-type"] = "application/json; charset=utf-8";
    }
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(out.status, headers);
  res.end(payload);
}

export function createRouter(options: RouterOptions = {}): Router {
  const routes: Route[] = [];
  const limit = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const router: Router = {
    on(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), parts: pattern.split("/").filter(Boolean), handler });
      return router;
    },
    async handle(req, res) {
      if (options.faults && (await options.faults.intercept(req, res))) return;
      const url = new URL(req.url ?? "/", "http://sandbox.local");
      const body = await readBody(req, limit);
      const raw = body === "too-large" ? Buffer.alloc(0) : body;
      for (const observe of observers) {
        try {
          observe({
            service: options.service ?? "unnamed",
            method: (req.method ?? "GET").toUpperCase(),
            path: url.pathname,
            query: new URLSearchParams(url.searchParams),
            headers: { ...req.headers },
            raw,
          });
        } catch {
          // an observer's failure is its own
        }
      }
      let parsed: { done: boolean; value: unknown } = { done: false, value: undefined };
      const sreq: SandboxRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        path: url.pathname,
        params: {},
        query: url.searchParams,
        headers: req.headers,
        raw,
        req,
        json() {
          if (!parsed.done) {
            const text = raw.toString("utf8");
            if (text.trim() === "") parsed = { done: true, value: undefined };
            else {
              try {
                parsed = { done: true, value: JSON.parse(text) };
              } catch (e) {
                throw new BadJson((e as Error).message);
              }
            }
          }
          return parsed.value;
        },
      };
      try {
        if (body === "too-large") {
          send(res, {
            status: 413,
            body: { error: { code: "RequestEntityTooLarge", message: "request body too large" } },
          });
          return;
        }
        const early = options.before ? await options.before(sreq) : undefined;
        if (early) return send(res, early);
        const segments = url.pathname.split("/").filter(Boolean);
        for (const route of routes) {
          if (route.method !== sreq.method && route.method !== "*") continue;
          const params = match(route.parts, segments);
          if (!params) continue;
          sreq.params = params;
          return send(res, await route.handler(sreq));
        }
        send(res, options.notFound?.(sreq) ?? { status: 404, body: { error: "Not Found" } });
      } catch (err) {
        send(res, options.onError?.(err, sreq) ?? { status: 500, body: { error: String(err) } });
      }
    },
  };
  return router;
}

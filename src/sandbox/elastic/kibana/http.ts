/**
 * Kibana's error body `{statusCode, error, message}` (Boom, as served by @kbn/core-http-server) and
 * small helpers the Kibana routes share.
 */
import type { SandboxResponse } from "../../common/router.js";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Request Entity Too Large",
  424: "Failed Dependency",
  500: "Internal Server Error",
};

export class KibanaError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

export function kbnError(status: number, message: string): SandboxResponse {
  return { status, body: { statusCode: status, error: REASONS[status] ?? "Error", message } };
}

export const badRequest = (message: string) => new KibanaError(400, message);
export const notFound = (message: string) => new KibanaError(404, message);

export function ok(body: unknown, status = 200): SandboxResponse {
  return { status, body };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Saved-object style "not found" message. */
export function savedObjectNotFound(type: string, id: string): KibanaError {
  return notFound(`Saved object [${type}/${id}] not found`);
}

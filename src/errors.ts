/**
 * Typed errors. Steps and clients throw these; only `cli.ts` turns them into exit codes, through one handler.
 * Every error carries a stable code and a suggestion the user can act on.
 */

export const ExitCode = {
  ok: 0,
  unexpected: 1,
  planHasChanges: 2,
  input: 3,
  auth: 4,
  precondition: 5,
  verification: 6,
  aborted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  /** Stable machine-readable code, e.g. `KIBANA_UNAUTHORIZED`. */
  code: string;
  /** What the user should do about it. */
  suggestion?: string;
  cause?: unknown;
  /** Extra facts safe to print (never secrets; they are redacted anyway). */
  details?: Record<string, unknown>;
}

export class SentinelElasticError extends Error {
  readonly code: string;
  readonly suggestion?: string;
  readonly details?: Record<string, unknown>;
  readonly exitCode: ExitCodeValue = ExitCode.unexpected;

  constructor(message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.suggestion = details.suggestion;
    this.details = details.details;
  }
}

/** One problem with one input: which input, what is wrong, where to set it. */
export interface InputProblem {
  key: string;
  message: string;
  /** "--kibana-url, KIBANA_URL or elastic.kibanaUrl in the config file" */
  where?: string;
}

/** Invalid or missing input (exit 3). */
export class InputError extends SentinelElasticError {
  override readonly exitCode = ExitCode.input;
  readonly problems: InputProblem[];
  constructor(message: string, details: ErrorDetails & { problems?: InputProblem[] }) {
    super(message, details);
    this.problems = details.problems ?? [];
  }
}

/** Authentication failed or permission missing (exit 4). */
export class AuthError extends SentinelElasticError {
  override readonly exitCode = ExitCode.auth;
}

/** A precondition is not met: version, licence, quota, missing resource (exit 5). */
export class PreconditionError extends SentinelElasticError {
  override readonly exitCode = ExitCode.precondition;
}

/** A verification check failed (exit 6). */
export class VerificationError extends SentinelElasticError {
  override readonly exitCode = ExitCode.verification;
}

/** The user aborted (Ctrl-C, declined a confirmation) (exit 130). */
export class AbortedError extends SentinelElasticError {
  override readonly exitCode = ExitCode.aborted;
  constructor(message = "Aborted.", details: Partial<ErrorDetails> = {}) {
    super(message, { code: "ABORTED", ...details });
  }
}

/**
 * A remote call failed in a way that is not the user's input or permissions (network, 5xx after retries).
 * Exit 1, with a suggestion; `partial` says what was already done so a re-run can be trusted to continue.
 */
export class RemoteError extends SentinelElasticError {
  readonly status?: number;
  readonly remote: "kibana" | "elasticsearch" | "azure" | "logic-app";
  constructor(message: string, details: ErrorDetails & { remote: RemoteError["remote"]; status?: number }) {
    super(message, details);
    this.remote = details.remote;
    this.status = details.status;
  }
}

export function isSentinelElasticError(e: unknown): e is SentinelElasticError {
  return e instanceof SentinelElasticError;
}

/** The exit code for any thrown value. */
export function exitCodeOf(e: unknown): ExitCodeValue {
  return isSentinelElasticError(e) ? e.exitCode : ExitCode.unexpected;
}

/** A command or step whose issue has not landed yet: says so and exits 1, never a fake success. */
export class NotImplementedError extends SentinelElasticError {
  constructor(what: string, suggestion: string) {
    super(`${what} is not built yet.`, { code: "NOT_IMPLEMENTED", suggestion });
  }
}

/**
 * The error the Azure emulators throw and answer with. Azure's ARM error body is
 * `{"error":{"code","message","target"?,"details"?:[…],"additionalInfo"?}}` (ErrorResponse in
 * azure-rest-api-specs common-types/resource-management/v5/types.json); the same code goes in the
 * `x-ms-error-code` header on data-plane services.
 */
export interface AzureErrorBody {
  code: string;
  message: string;
  target?: string;
  details?: AzureErrorBody[];
  additionalInfo?: unknown[];
}

export class AzureError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: AzureErrorBody[],
    readonly target?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AzureError";
  }

  body(): { error: AzureErrorBody } {
    const error: AzureErrorBody = { code: this.code, message: this.message };
    if (this.target) error.target = this.target;
    if (this.details?.length) error.details = this.details;
    return { error };
  }
}

export const badRequest = (code: string, message: string, target?: string) =>
  new AzureError(400, code, message, undefined, target);
export const notFound = (code: string, message: string) => new AzureError(404, code, message);
export const conflict = (code: string, message: string) => new AzureError(409, code, message);

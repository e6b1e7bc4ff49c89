/**
 * RBAC checks with Azure's 403 shape:
 * "The client '<name>' with object id '<oid>' does not have authorization to perform action '<action>' over
 * scope '<scope>' or the scope is invalid. If access was recently granted, please refresh your credentials."
 * (AuthorizationFailed; https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
 */
import { AzureError } from "../errors.js";
import type { AzureState } from "../state.js";
import type { TokenClaims } from "../tokens.js";

export interface Caller {
  principalId: string;
  /** What Azure prints as the client: the UPN for users, the app id for service principals. */
  clientName: string;
  claims?: TokenClaims;
}

export function callerOf(claims: TokenClaims): Caller {
  return { principalId: claims.oid, clientName: claims.upn ?? claims.appid, claims };
}

export function authorizationFailed(caller: Caller, action: string, scope: string): AzureError {
  return new AzureError(
    403,
    "AuthorizationFailed",
    `The client '${caller.clientName}' with object id '${caller.principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export function authorize(state: AzureState, caller: Caller, action: string, scope: string): void {
  if (!state.canPerform(caller.principalId, action, scope)) throw authorizationFailed(caller, action, scope);
}

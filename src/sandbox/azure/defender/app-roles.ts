/**
 * Microsoft Graph application-role assignments (what "grant the managed identity a Graph permission" is):
 * `POST /v1.0/servicePrincipals/{resourceId}/appRoleAssignedTo` with `{principalId, resourceId, appRoleId}` → 201
 * appRoleAssignment; `GET …/appRoleAssignedTo` lists them; `DELETE …/appRoleAssignedTo/{id}` → 204
 * (https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto,
 * …/serviceprincipal-list-approleassignedto, …/serviceprincipal-delete-approleassignedto).
 *
 * Granting an app role of Microsoft Graph is an admin act: for a signed-in user Graph requires the delegated
 * permission AppRoleAssignment.ReadWrite.All and a directory role such as Privileged Role Administrator or Global
 * Administrator (same pages, "Permissions"); the sandbox models the directory roles only (`entraRoles`).
 * Without one: 403 `Authorization_RequestDenied` "Insufficient privileges to complete the operation.".
 */
import { randomUUID } from "node:crypto";

/** Microsoft Graph's application id (the same in every tenant). */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** App roles of Microsoft Graph (https://learn.microsoft.com/graph/permissions-reference). */
export const GRAPH_APP_ROLES = {
  "SecurityIncident.Read.All": "45cc0394-e837-488b-a098-1918f48d186c",
  "SecurityIncident.ReadWrite.All": "34bf0e97-1971-4929-b999-9e2442d941d7",
} as const;

/** Role template ids of the directory roles the sandbox knows (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const DIRECTORY_ROLE_TEMPLATES: Record<string, string> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
  "Application Developer": "cf1c38e5-3621-4004-a7cb-879624dced7c",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "Security Operator": "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
  "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
};

/** Directory roles that may grant Graph app roles to a service principal. */
export const APP_ROLE_GRANTERS = ["Privileged Role Administrator", "Global Administrator"];

export interface AppRoleAssignment {
  id: string;
  principalId: string;
  principalDisplayName: string;
  principalType: "ServicePrincipal" | "User";
  resourceId: string;
  resourceDisplayName: string;
  appRoleId: string;
  createdDateTime: string;
}

export class AppRoleStore {
  readonly assignments = new Map<string, AppRoleAssignment>();
  /** Directory roles per principal (users), e.g. "Privileged Role Administrator". */
  readonly entraRoles = new Map<string, Set<string>>();

  grantEntraRole(principalId: string, role: string): void {
    const set = this.entraRoles.get(principalId) ?? new Set<string>();
    set.add(role);
    this.entraRoles.set(principalId, set);
  }

  hasEntraRole(principalId: string, roles: readonly string[]): boolean {
    const mine = this.entraRoles.get(principalId);
    return !!mine && roles.some((r) => mine.has(r));
  }

  add(a: Omit<AppRoleAssignment, "id">): AppRoleAssignment {
    for (const x of this.assignments.values())
      if (x.principalId === a.principalId && x.resourceId === a.resourceId && x.appRoleId === a.appRoleId)
        throw Object.assign(new Error("Permission being assigned already exists on the object"), { conflict: true });
    const assignment = { ...a, id: randomUUID().replace(/-/g, "").slice(0, 22) };
    this.assignments.set(assignment.id, assignment);
    return assignment;
  }

  /** Whether `principalId` holds one of the app roles (by id) of `resourceId`. */
  holds(principalId: string, resourceId: string, appRoleIds: readonly string[]): boolean {
    for (const a of this.assignments.values())
      if (a.principalId === principalId && a.resourceId === resourceId && appRoleIds.includes(a.appRoleId)) return true;
    return false;
  }

  /** Assignments to a principal that is gone (a deleted workflow's identity) no longer count. */
  of(resourceId: string): AppRoleAssignment[] {
    return [...this.assignments.values()].filter((a) => a.resourceId === resourceId);
  }
}

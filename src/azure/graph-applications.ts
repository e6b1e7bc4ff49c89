/**
 * The narrow Microsoft Graph client for our one app registration (v1.0):
 * - GET/POST /applications, PATCH/DELETE /applications/{id}: https://learn.microsoft.com/graph/api/application-post-applications,
 *   …/application-update, …/application-delete (deleting the application removes its service principal);
 * - POST /applications/{id}/addPassword and /removePassword: …/application-addpassword (the `secretText` is in
 *   this one answer only), …/application-removepassword;
 * - GET /servicePrincipals(appId='…'), POST /servicePrincipals: …/serviceprincipal-post-serviceprincipals;
 * - GET /policies/authorizationPolicy (…/authorizationpolicy-get): may member users register applications?
 * A secret is registered with the redactor the moment it is read, before anything can print it.
 */
import { PreconditionError } from "../errors.js";
import { registerSecret } from "../redact.js";
import type { AzureClients } from "./client.js";
import { graphAppRoles } from "./graph-app-roles.js";

export interface PasswordCredentialInfo {
  keyId: string;
  displayName?: string | null;
  endDateTime?: string | null;
}

export interface AppRegistration {
  id: string;
  appId: string;
  displayName: string;
  identifierUris?: string[];
  tags?: string[];
  notes?: string | null;
  passwordCredentials?: PasswordCredentialInfo[];
}

export interface NewSecret {
  keyId: string;
  secretText: string;
  endDateTime: string;
}

/** Directory roles that may register applications whatever the tenant's policy says (Entra built-in roles). */
const APP_CREATORS: Record<string, string> = {
  "cf1c38e5-3621-4004-a7cb-879624dced7c": "Application Developer",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
  "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
};

export interface GraphApplicationsApi {
  readonly base: string;
  findByName(displayName: string): Promise<AppRegistration[]>;
  get(id: string): Promise<AppRegistration | undefined>;
  create(p: { displayName: string; tags: string[]; notes: string }): Promise<AppRegistration>;
  update(id: string, patch: { identifierUris?: string[]; tags?: string[]; notes?: string }): Promise<void>;
  /** The app's service principal in this tenant, created when missing. */
  ensureServicePrincipal(appId: string): Promise<void>;
  addPassword(id: string, displayName: string, endDateTime: Date): Promise<NewSecret>;
  removePassword(id: string, keyId: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Whether the sign-in may register applications; undefined when Graph will not say. */
  mayRegisterApps(): Promise<boolean | undefined>;
}

export function graphApplications(az: AzureClients): GraphApplicationsApi {
  if (!az.graph || !az.cloud.graph)
    throw new PreconditionError("The OAuth2 alert connector needs Microsoft Graph, and no Graph endpoint is set", {
      code: "GRAPH_MISSING",
      suggestion: "Set azure.endpoints.graph (--azure-graph-url), or --alert-webhook-auth sas.",
    });
  const http = az.graph;
  const base = `${az.cloud.graph}/v1.0`;
  const quote = (s: string) => s.replace(/'/g, "''");
  return {
    base,
    async findByName(displayName) {
      const res = await http.request<{ value?: AppRegistration[] }>("GET", `${base}/applications`, {
        query: { $filter: `displayName eq '${quote(displayName)}'` },
        what: "looking for our app registration",
      });
      return res.body.value ?? [];
    },
    async get(id) {
      const res = await http.request<AppRegistration>("GET", `${base}/applications/${id}`, {
        accept: [404],
        what: "reading our app registration",
      });
      return res.status === 404 ? undefined : res.body;
    },
    async create(p) {
      const res = await http.request<AppRegistration>("POST", `${base}/applications`, {
        body: { displayName: p.displayName, signInAudience: "AzureADMyOrg", tags: p.tags, notes: p.notes },
        what: "registering the alert connector's application",
        noRetry: true,
      });
      return res.body;
    },
    async update(id, patch) {
      await http.request("PATCH", `${base}/applications/${id}`, {
        body: patch,
        what: "updating our app registration (identifier URI, marker)",
      });
    },
    async ensureServicePrincipal(appId) {
      const got = await http.request("GET", `${base}/servicePrincipals(appId='${appId}')`, {
        query: { $select: "id" },
        accept: [404],
        what: "reading the app registration's service principal",
      });
      if (got.status !== 404) return;
      await http.request("POST", `${base}/servicePrincipals`, {
        body: { appId },
        accept: [409],
        what: "creating the app registration's service principal",
        noRetry: true,
      });
    },
    async addPassword(id, displayName, endDateTime) {
      const res = await http.request<NewSecret>("POST", `${base}/applications/${id}/addPassword`, {
        body: { passwordCredential: { displayName, endDateTime: endDateTime.toISOString() } },
        what: "adding a client secret to the app registration",
        noRetry: true,
      });
      registerSecret(res.body.secretText);
      return { keyId: res.body.keyId, secretText: res.body.secretText, endDateTime: res.body.endDateTime };
    },
    async removePassword(id, keyId) {
      await http.request("POST", `${base}/applications/${id}/removePassword`, {
        body: { keyId },
        accept: [404],
        what: "removing an old client secret of the app registration",
      });
    },
    async remove(id) {
      await http.request("DELETE", `${base}/applications/${id}`, {
        accept: [404],
        what: "deleting our app registration",
        noRetry: true,
      });
    },
    async mayRegisterApps() {
      const policy = await http.request<{ defaultUserRolePermissions?: { allowedToCreateApps?: boolean } }>(
        "GET",
        `${base}/policies/authorizationPolicy`,
        { accept: [400, 403], what: "reading whether member users may register applications" },
      );
      const roles = await graphAppRoles(az).myDirectoryRoles();
      const hasRole = roles?.some((r) => (r.roleTemplateId && APP_CREATORS[r.roleTemplateId]) || false);
      if (hasRole) return true;
      // A user (the directory roles could be read) with the tenant's default: member users may register apps.
      if (roles && policy.status < 400) return policy.body.defaultUserRolePermissions?.allowedToCreateApps === true;
      return undefined;
    },
  };
}

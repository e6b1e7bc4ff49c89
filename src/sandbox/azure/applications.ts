/**
 * App registrations (Microsoft Graph `application` objects) of the sandbox tenant: their identifier URIs, tags and
 * notes, owners, and client secrets (`passwordCredentials`, whose `secretText` is returned once, by addPassword,
 * and never again: https://learn.microsoft.com/graph/api/application-addpassword). Their service principals live
 * with the other principals in AzureState. Served by graph-applications.ts; the login endpoint checks secrets here.
 *
 * Who may register an application (https://learn.microsoft.com/entra/identity/role-based-access-control/delegate-app-roles):
 * any member user while the tenant's authorization policy says `allowedToCreateApps: true` (the default), else only
 * holders of a directory role that may (Application Developer, Application/Cloud Application Administrator,
 * Global Administrator). A user manages the applications they own; the administrators manage all.
 */
import { randomBytes, randomUUID } from "node:crypto";

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
  /** The first three characters of the secret, as Graph shows them. */
  hint: string;
  /** Sandbox-only: the secret itself (Graph never returns it after addPassword). */
  secret: string;
}

export interface Application {
  id: string;
  appId: string;
  displayName: string;
  identifierUris: string[];
  tags: string[];
  notes: string | null;
  signInAudience: string;
  createdDateTime: string;
  /** Object ids of the owners (the creator). */
  owners: string[];
  passwordCredentials: PasswordCredential[];
}

/** Directory roles that may register applications whatever the authorization policy says. */
export const APP_CREATOR_ROLES = [
  "Application Developer",
  "Application Administrator",
  "Cloud Application Administrator",
  "Global Administrator",
];
/** Directory roles that may manage every application (not only their own). */
export const APP_ADMIN_ROLES = ["Application Administrator", "Cloud Application Administrator", "Global Administrator"];

export type SecretCheck = "ok" | "expired" | "invalid";

export class ApplicationStore {
  readonly apps = new Map<string, Application>();
  /** The tenant's authorizationPolicy `defaultUserRolePermissions.allowedToCreateApps` (the sandbox's deny switch). */
  allowedToCreateApps = true;

  create(
    p: { displayName: string; tags?: string[]; notes?: string | null; signInAudience?: string },
    owner: string,
    now: string,
  ): Application {
    const app: Application = {
      id: randomUUID(),
      appId: randomUUID(),
      displayName: p.displayName,
      identifierUris: [],
      tags: p.tags ?? [],
      notes: p.notes ?? null,
      signInAudience: p.signInAudience ?? "AzureADMyOrg",
      createdDateTime: now,
      owners: [owner],
      passwordCredentials: [],
    };
    this.apps.set(app.id, app);
    return app;
  }

  byAppId(appId: string): Application | undefined {
    const key = appId.toLowerCase();
    for (const a of this.apps.values()) if (a.appId.toLowerCase() === key) return a;
    return undefined;
  }

  byIdentifierUri(uri: string): Application | undefined {
    const key = uri.replace(/\/+$/, "").toLowerCase();
    for (const a of this.apps.values())
      if (a.identifierUris.some((u) => u.replace(/\/+$/, "").toLowerCase() === key)) return a;
    return undefined;
  }

  addPassword(
    app: Application,
    p: { displayName?: string | null; endDateTime?: string },
    now: number,
  ): PasswordCredential {
    const secret = randomBytes(30).toString("base64url");
    const start = new Date(now);
    // Graph's default lifetime when endDateTime is not given: startDateTime + 2 years (application-addpassword).
    const end = p.endDateTime ? new Date(p.endDateTime) : new Date(now + 2 * 365 * 24 * 3600_000);
    const cred: PasswordCredential = {
      keyId: randomUUID(),
      displayName: p.displayName ?? null,
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      hint: secret.slice(0, 3),
      secret,
    };
    app.passwordCredentials.push(cred);
    return cred;
  }

  /** Whether `secret` is a current client secret of the application `appId`, at sandbox time `now`. */
  checkSecret(appId: string, secret: string, now: number): SecretCheck {
    const cred = this.byAppId(appId)?.passwordCredentials.find((c) => c.secret === secret);
    if (!cred) return "invalid";
    return Date.parse(cred.endDateTime) <= now ? "expired" : "ok";
  }
}

/** The application as Graph returns it (secrets reduced to their metadata). */
export function applicationEntity(a: Application): Record<string, unknown> {
  return {
    id: a.id,
    appId: a.appId,
    displayName: a.displayName,
    identifierUris: [...a.identifierUris],
    tags: [...a.tags],
    notes: a.notes,
    signInAudience: a.signInAudience,
    createdDateTime: a.createdDateTime,
    passwordCredentials: a.passwordCredentials.map((c) => ({
      customKeyIdentifier: null,
      displayName: c.displayName,
      endDateTime: c.endDateTime,
      hint: c.hint,
      keyId: c.keyId,
      secretText: null,
      startDateTime: c.startDateTime,
    })),
  };
}

/**
 * Config / secrets / params validation for `.webhook` and `.cases-webhook`, gated on the Kibana version.
 *
 * Sources (elastic/kibana):
 * - cases-webhook config/secrets/params: SC9 `connector_types/cases_webhook/schema.ts`, 8.15+ `SC8/.../schema.ts`,
 *   newest `kbn-connector-schemas/cases_webhook/schemas/v1.ts`; custom validator `validators.ts`
 *   (`validateCasesWebhookConfig`, `validateConnector` on 9.x only).
 * - webhook: `SC9/.../webhook/schema.ts`, `validations.ts`.
 * - shared auth: `SC9/common/auth/schema.ts` (`AuthConfiguration`, `SecretConfigurationSchema`).
 * Version boundaries (elastic/kibana stack_connectors server/connector_types/cases_webhook and webhook schemas, by PR): getIncidentMethod/getIncidentJson 8.17 (PR #197437);
 * cases-webhook SSL/authType 8.15 (PR #185925); webhook SSL 8.10 (PR #161894); OAuth2 + secretHeaders 9.2
 * (PR #218442, #230042); webhook patch/get/delete 9.3 (PR #237270).
 */
import { atLeast } from "../../version.js";
import {
  bool,
  def,
  lit,
  nullable,
  obj,
  oneOfLit,
  opt,
  type Prop,
  record,
  req,
  str,
  type S,
  SchemaError,
  validate,
} from "../schema.js";

const BASIC = "webhook-authentication-basic";
const SSL = "webhook-authentication-ssl";
const OAUTH2 = "webhook-oauth2-client-credentials";

function authConfig(version: string, sslSince: string): Record<string, Prop> {
  if (!atLeast(version, sslSince)) return { hasAuth: def(bool, true) };
  const authTypes: (string | null)[] = atLeast(version, "9.2.0") ? [BASIC, SSL, OAUTH2, null] : [BASIC, SSL, null];
  return {
    hasAuth: def(bool, true),
    authType: opt(oneOfLit(...authTypes)),
    certType: opt(oneOfLit("ssl-crt-key", "ssl-pfx")),
    ca: opt(str),
    verificationMode: opt(oneOfLit("none", "certificate", "full")),
    ...(atLeast(version, "9.2.0")
      ? {
          accessTokenUrl: opt(nullable(str)),
          clientId: opt(nullable(str)),
          scope: opt(nullable(str)),
          additionalFields: opt(nullable(str)),
        }
      : {}),
  };
}

function secretsSchema(version: string, sslSince: string): S {
  const props: Record<string, Prop> = { user: req(nullable(str)), password: req(nullable(str)) };
  if (atLeast(version, sslSince))
    Object.assign(props, { crt: req(nullable(str)), key: req(nullable(str)), pfx: req(nullable(str)) });
  if (atLeast(version, "9.2.0"))
    Object.assign(props, { clientSecret: req(nullable(str)), secretHeaders: req(nullable(record(str))) });
  return obj(props);
}

/** The refinement on SecretConfigurationSchema: only these combinations are allowed. */
function checkSecretCombination(s: Record<string, unknown>): void {
  const has = (k: string) => s[k] != null;
  const ok =
    (!has("user") && !has("password") && !has("crt") && !has("key") && !has("pfx") && !has("clientSecret")) ||
    (has("user") && has("password") && !has("crt") && !has("key") && !has("pfx") && !has("clientSecret")) ||
    (has("crt") && has("key") && !has("user") && !has("pfx") && !has("clientSecret")) ||
    (has("pfx") && !has("user") && !has("crt") && !has("key") && !has("clientSecret")) ||
    (has("clientSecret") && !has("user") && !has("password") && !has("crt") && !has("key") && !has("pfx"));
  if (!ok)
    throw new SchemaError(
      "must specify one of the following schemas: user and password; crt and key (with optional password); pfx (with optional password); or clientSecret (for OAuth2)",
    );
}

export function casesWebhookConfigSchema(version: string): S {
  return obj({
    createIncidentJson: str,
    createIncidentMethod: def(oneOfLit("post", "put"), "post"),
    createIncidentResponseKey: str,
    createIncidentUrl: str,
    getIncidentResponseExternalTitleKey: str,
    ...(atLeast(version, "8.17.0")
      ? { getIncidentMethod: def(oneOfLit("get", "post"), "get"), getIncidentJson: def(nullable(str), null) }
      : {}),
    getIncidentUrl: str,
    updateIncidentJson: str,
    updateIncidentMethod: def(oneOfLit("post", "patch", "put"), "put"),
    updateIncidentUrl: str,
    viewIncidentUrl: str,
    createCommentUrl: def(nullable(str), null),
    createCommentJson: def(nullable(str), null),
    createCommentMethod: def(nullable(oneOfLit("post", "put", "patch")), "put"),
    headers: def(nullable(record(str)), null),
    ...authConfig(version, "8.15.0"),
  });
}

export function webhookConfigSchema(version: string): S {
  const methods = atLeast(version, "9.3.0") ? ["post", "put", "patch", "get", "delete"] : ["post", "put"];
  return obj({
    url: str,
    method: def(oneOfLit(...methods), "post"),
    headers: def(nullable(record(str)), null),
    ...authConfig(version, "8.10.0"),
  });
}

function assertUrl(url: string, fail: (e: string) => string): void {
  try {
    new URL(url);
  } catch (e) {
    throw new SchemaError(fail(String(e)));
  }
}

export interface ValidatedConnector {
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

/** Validate create/update input for a connector type; throws with Kibana's message on failure. */
export function validateConnectorInput(
  type: string,
  version: string,
  config: Record<string, unknown>,
  secrets: Record<string, unknown>,
): ValidatedConnector {
  const stage = (what: string, fn: () => Record<string, unknown>) => {
    try {
      return fn();
    } catch (e) {
      throw new SchemaError(`error validating action type ${what}: ${(e as Error).message}`);
    }
  };
  if (type === ".cases-webhook") {
    const c = stage("config", () => {
      const v = validate(casesWebhookConfigSchema(version), config) as Record<string, unknown>;
      if (v.authType === OAUTH2)
        throw new SchemaError("OAuth2 authentication is not supported for cases webhook connector");
      for (const key of [
        "createIncidentUrl",
        "createCommentUrl",
        "viewIncidentUrl",
        "getIncidentUrl",
        "updateIncidentUrl",
      ]) {
        const url = v[key];
        if (typeof url === "string")
          assertUrl(url, (err) => `error configuring cases webhook action: unable to parse ${url}: ${err}`);
      }
      return v;
    });
    const s = stage("secrets", () => {
      const v = validate(secretsSchema(version, "8.15.0"), secrets) as Record<string, unknown>;
      checkSecretCombination(v);
      return v;
    });
    // 9.x adds a connector-level validator: hasAuth with no secrets is refused at save time. 8.x has none,
    // so the save succeeds and execution fails later with "Wrong configuration" (elastic/kibana stack_connectors server/connector_types/cases_webhook/service.ts).
    if (atLeast(version, "9.0.0") && c.hasAuth && Object.keys(secrets).length === 0)
      throw new SchemaError("error validating action type connector: must specify a secrets configuration");
    return { config: c, secrets: s };
  }
  if (type === ".webhook") {
    const c = stage("config", () => {
      const v = validate(webhookConfigSchema(version), config) as Record<string, unknown>;
      assertUrl(String(v.url), (err) => `error configuring webhook action: unable to parse url: ${err}`);
      if (v.hasAuth === false && v.authType != null)
        throw new SchemaError("authType must be null or undefined if hasAuth is false");
      if (v.authType === OAUTH2 && (!v.accessTokenUrl || !v.clientId))
        throw new SchemaError("accessTokenUrl and clientId are required for OAuth2 client credentials");
      if (typeof v.accessTokenUrl === "string")
        assertUrl(
          v.accessTokenUrl,
          (err) => `error configuring webhook action: unable to parse accessTokenUrl: ${err}`,
        );
      if (v.additionalFields != null) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(v.additionalFields));
        } catch {
          parsed = undefined;
        }
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || Object.keys(parsed).length === 0)
          throw new SchemaError("additionalFields must be a non-empty JSON object");
      }
      return v;
    });
    const s = stage("secrets", () => {
      const v = validate(secretsSchema(version, "8.10.0"), secrets) as Record<string, unknown>;
      checkSecretCombination(v);
      return v;
    });
    return { config: c, secrets: s };
  }
  return { config: stage("config", () => validate(obj({}, "allow"), config) as Record<string, unknown>), secrets };
}

/** Params of `_execute` / rule actions. cases-webhook: ExecutorParamsSchema; webhook: ParamsSchema. */
export function validateParams(
  type: string,
  version: string,
  params: Record<string, unknown>,
): Record<string, unknown> {
  try {
    if (type === ".webhook") return validate(obj({ body: opt(str) }), params) as Record<string, unknown>;
    if (type === ".cases-webhook") {
      const extended = atLeast(version, "8.11.0");
      const incident = obj({
        title: str,
        description: def(nullable(str), null),
        externalId: def(nullable(str), null),
        tags: def(nullable({ t: "array", item: str }), null),
        ...(extended
          ? { id: def(nullable(str), null), severity: def(nullable(str), null), status: def(nullable(str), null) }
          : {}),
      });
      const comment = obj({ comment: str, commentId: str });
      return validate(
        obj({
          subAction: lit("pushToService"),
          subActionParams: obj({ incident, comments: def(nullable({ t: "array", item: comment }), null) }),
        }),
        params,
      ) as Record<string, unknown>;
    }
    return params;
  } catch (e) {
    throw new SchemaError(`error validating action params: ${(e as Error).message}`);
  }
}

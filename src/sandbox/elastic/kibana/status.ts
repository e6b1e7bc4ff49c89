/**
 * Kibana status, licensing, connector types and alerting health.
 * - GET /api/status: version.number / version.build_flavor (src/core/packages/status/server-internal status route).
 * - GET /api/licensing/info: x-pack/platform/plugins/shared/licensing/server/routes/info.ts.
 * - GET /api/actions/connector_types: ACT/server/routes/connector/list_types (enabled_in_license).
 * - GET /api/alerting/_health: x-pack/platform/plugins/shared/alerting/server/routes/health.ts.
 */
import type { Router } from "../../common/router.js";
import { licenseAtLeast, type SandboxContext } from "../context.js";
import { ok } from "./http.js";
import { CONNECTOR_TYPES } from "./connectors/model.js";

export function registerStatusRoutes(router: Router, ctx: SandboxContext): void {
  router.on("GET", "/api/status", () =>
    ok({
      name: "sandbox-kibana",
      uuid: "5b2de169-2785-441b-ae8c-186a1936b17d",
      version: {
        number: ctx.version,
        build_hash: "sandbox",
        build_number: 1,
        build_snapshot: false,
        build_flavor: "traditional",
        build_date: "2025-01-01T00:00:00.000Z",
      },
      status: {
        overall: { level: "available", summary: "All services and plugins are available" },
        core: {
          elasticsearch: { level: "available", summary: "Elasticsearch is available" },
          savedObjects: {
            level: "available",
            summary: "SavedObjects service has completed migrations and is available",
          },
        },
        plugins: {},
      },
      metrics: { last_updated: ctx.clock.date().toISOString(), collection_interval_in_millis: 5000 },
    }),
  );

  router.on("GET", "/api/licensing/info", () => {
    const l = ctx.license;
    const features: Record<string, { isAvailable: boolean; isEnabled: boolean }> = {};
    return ok({
      license: {
        uid: l.uid,
        type: l.type,
        mode: l.type,
        status: l.status,
        ...(l.type === "basic" ? {} : { expiryDateInMillis: l.issuedAt + 365 * 86_400_000 }),
      },
      features,
      signature: "sandbox",
    });
  });

  router.on("GET", "/api/actions/connector_types", (req) => {
    const feature = req.query.get("feature_id");
    return ok(
      CONNECTOR_TYPES.filter((t) => !feature || t.supported_feature_ids.includes(feature)).map((t) => ({
        id: t.id,
        name: t.name,
        enabled: ctx.license.status === "active" && licenseAtLeast(ctx.license.type, t.minimum_license_required),
        enabled_in_config: true,
        enabled_in_license:
          ctx.license.status === "active" && licenseAtLeast(ctx.license.type, t.minimum_license_required),
        minimum_license_required: t.minimum_license_required,
        supported_feature_ids: t.supported_feature_ids,
        is_system_action_type: false,
      })),
    );
  });

  router.on("GET", "/api/alerting/_health", () => {
    const state = ctx.encryptionKey ? "ok" : "warn";
    const ts = ctx.clock.date().toISOString();
    return ok({
      is_sufficiently_secure: true,
      has_permanent_encryption_key: ctx.encryptionKey,
      alerting_framework_health: {
        decryption_health: { status: state, timestamp: ts },
        execution_health: { status: state, timestamp: ts },
        read_health: { status: state, timestamp: ts },
      },
    });
  });
}

/**
 * Objects several instances (prefixes) share, and how each instance records that it uses them, so that tearing
 * one instance down never breaks another:
 * - Kibana case settings of a space (one default case connector per space): every instance with case sync has
 *   its own marked `.cases-webhook` connector in the space; those connectors are the count. Each one records the
 *   default that was there before the FIRST instance (REPLACED_CONNECTOR_HEADER, copied from instance to
 *   instance). Teardown of the instance whose connector is the default hands the default to another instance
 *   still there, and only the last one puts back what was there before the first.
 * - The alerts table (`alerts.table` in the workspace): used by every instance whose data collection rule (ours
 *   by its tags) sends rows to it; `--delete-data` deletes it only when no other instance's rule does.
 * - The way back's Microsoft Sentinel Reader role assignment (one per app registration and workspace): each
 *   instance adds its prefix to the assignment's description; teardown removes its prefix and deletes the
 *   assignment only when no prefix is left (src/steps/way-back/role-assignment.ts).
 */
import type { Connector } from "../kibana/connectors.js";
import { CASES_WEBHOOK, type ReplacedConnector, readReplacedConnector } from "../kibana/connector-bodies.js";
import { connectorInstance } from "./marker.js";

/** Our case connectors of other instances in the space: who else uses the case settings. */
export function otherInstancesCaseConnectors(all: Connector[], prefix: string): Connector[] {
  return all
    .filter((c) => c.connector_type_id === CASES_WEBHOOK && !c.is_preconfigured)
    .filter((c) => {
      const owner = connectorInstance(c.config);
      return owner !== undefined && owner !== prefix;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What setup records as "what was there before": when the current default is another instance's connector, that
 * instance's own record (what was there before the first instance); otherwise the current default itself.
 */
export function originalDefault(
  current: { id: string; name: string; type: string } | undefined,
  currentConnector: Connector | undefined,
  prefix: string,
): ReplacedConnector | undefined {
  if (!current) return undefined;
  const owner = connectorInstance(currentConnector?.config);
  if (owner && owner !== prefix) return readReplacedConnector(currentConnector?.config);
  return current;
}

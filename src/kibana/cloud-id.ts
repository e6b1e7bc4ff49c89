/**
 * Elastic Cloud ID → Kibana and Elasticsearch URLs.
 *
 * Format: `<name>:<base64(host[:port]$es_id[:port]$kibana_id[:port])>` (Elastic Cloud docs, "Cloud ID";
 * the same parsing as elasticsearch-js `parseCloudId` and Beats `libbeat/cloudid`). A port on a component
 * overrides the host's port; the default is 443.
 */
import { InputError } from "../errors.js";

export interface CloudIdUrls {
  name: string;
  elasticsearchUrl: string;
  kibanaUrl: string;
}

const WHERE = "--cloud-id, ELASTIC_CLOUD_ID or elastic.cloudId in the config file";

function malformed(why: string): InputError {
  return new InputError(`The Elastic Cloud ID is malformed: ${why}.`, {
    code: "CLOUD_ID_MALFORMED",
    suggestion: "Copy the Cloud ID again from the deployment's page in the Elastic Cloud console.",
    problems: [{ key: "elastic.cloudId", message: why, where: WHERE }],
  });
}

function splitPort(part: string): [string, string | undefined] {
  const m = /^(.*?):(\d{1,5})$/.exec(part);
  return m ? [m[1]!, m[2]] : [part, undefined];
}

export function parseCloudId(cloudId: string): CloudIdUrls {
  const idx = cloudId.indexOf(":");
  if (idx <= 0) throw malformed("expected <name>:<base64 data>");
  const name = cloudId.slice(0, idx);
  const data = cloudId.slice(idx + 1);
  if (!data || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(data)) throw malformed("the part after the name is not base64");
  const decoded = Buffer.from(data, "base64").toString("utf8");
  const parts = decoded.split("$");
  if (parts.length < 3 || parts.some((p) => !p.trim())) {
    throw malformed("the decoded value must be host$elasticsearch-id$kibana-id");
  }
  const [hostPart, esPart, kbPart] = parts as [string, string, string];
  const [host, hostPort] = splitPort(hostPart.replace(/\/+$/, ""));
  const [esId, esPort] = splitPort(esPart);
  const [kbId, kbPort] = splitPort(kbPart);
  const hostname = /^[A-Za-z0-9.-]+$/;
  if (!hostname.test(host) || !hostname.test(esId) || !hostname.test(kbId)) {
    throw malformed("the decoded host or ids contain characters a host name cannot have");
  }
  const url = (id: string, port: string | undefined) => {
    const p = port ?? hostPort;
    return `https://${id}.${host}${p && p !== "443" ? `:${p}` : ""}`;
  };
  return { name, elasticsearchUrl: url(esId, esPort), kibanaUrl: url(kbId, kbPort) };
}

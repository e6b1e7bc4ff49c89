/**
 * What verify needs from the remotes, as one narrow interface: the paths below are written against it, and
 * `probes-live.ts` implements it over our Kibana, Elasticsearch and Azure clients. Tests may give a fake.
 */
export interface IncidentView {
  /** The incident's name (GUID), as Kibana stores it as external id. */
  id: string;
  title: string;
  severity: string;
  status: string;
  description?: string;
  labels: string[];
  classification?: string;
  url?: string;
  createdTimeUtc?: string;
  relatedAnalyticRuleIds: string[];
}

export interface WorkflowRunView {
  id: string;
  status: string;
  startTime?: string;
  error?: { code?: string; message?: string };
  /** The first failed action, with Azure's message — also in a "Succeeded" run whose workflow handled the failure. */
  failedAction?: { name: string; code?: string; message?: string };
}

export interface KibanaAlertView {
  alertId: string;
  ruleName: string;
}

export interface VerifyProbes {
  // Kibana cases
  createCase(input: { title: string; description: string; tags: string[]; severity: string }): Promise<{ id: string }>;
  /** `caseStatus`: the case's status after the push (closure type close-by-pushing closes it). */
  pushCase(caseId: string): Promise<{ externalId: string; externalUrl?: string; caseStatus?: string }>;
  commentCase(caseId: string, text: string): Promise<void>;
  setCaseStatus(caseId: string, status: "open" | "in-progress" | "closed"): Promise<void>;
  deleteCase(caseId: string): Promise<void>;
  /**
   * Remove this instance's test cases left by an earlier verify whose run is over (killed before its cleanup),
   * closing their incidents; returns the case ids removed (src/verify/leftovers.ts).
   */
  cleanLeftovers?(now: number): Promise<{ removed: string[]; closed: string[] }>;
  /**
   * Kibana refuses to push a closed case (409), so closing is proven the way Kibana itself would send it:
   * the connector's pushToService with the case's fields and status `closed` (elastic/kibana stack_connectors server/connector_types/cases_webhook/service.ts).
   */
  pushClosedViaConnector(input: {
    caseId: string;
    externalId: string;
    title: string;
    description: string;
    tags: string[];
    severity: string;
  }): Promise<void>;
  // Kibana alerts
  executeAlertConnector(body: string): Promise<void>;
  indexTestDocument(marker: string): Promise<{ index: string }>;
  findKibanaAlert(marker: string): Promise<KibanaAlertView | undefined>;
  /** When the rule last ran and how (for the remedy when no alert appears). */
  ruleStatus(): Promise<{
    enabled: boolean;
    interval: string;
    lastRun?: string;
    lastStatus?: string;
    lastMessage?: string;
  }>;
  // Azure
  getIncident(id: string): Promise<IncidentView | undefined>;
  incidentComments(id: string): Promise<string[]>;
  /** Incidents created at or after `sinceIso`. */
  incidentsSince(sinceIso: string): Promise<IncidentView[]>;
  /** The newest run of one of our workflows that started at or after `sinceIso`. */
  latestWorkflowRun(workflow: string, sinceIso: string): Promise<WorkflowRunView | undefined>;
  /** Rows of a Log Analytics query over the workspace. */
  queryRows(kql: string): Promise<Record<string, unknown>[]>;
}

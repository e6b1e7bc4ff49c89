import type { Router } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
import type { RuleScheduler } from "./scheduler.js";
export function registerRuleRoutes(_router: Router, _ctx: SandboxContext, _s: RuleScheduler): void {}

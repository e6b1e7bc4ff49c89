import type { Router } from "../../../common/router.js";
import type { SandboxContext } from "../../context.js";
export function registerSignalsRoutes(_router: Router, _ctx: SandboxContext): void {}

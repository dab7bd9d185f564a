// `npm run demo`: the quick-start demo. Installs and builds if needed, then starts a cart server
// on loopback and runs an orchestrator with three subagents filling one shared cart.
import { ensureSetup, root, run } from './setup.mjs';

process.env.TURBO_TELEMETRY_DISABLED = '1';

ensureSetup();
run(process.execPath, ['--import', 'tsx', `${root}/servers/cart/examples/shopping-team.ts`]);

#!/usr/bin/env node
/** Serves the demo storefront on http://127.0.0.1:4173 (or SITE_PORT) until interrupted. */
import { startDemoSite } from './server.js';

const site = await startDemoSite({ port: Number(process.env.SITE_PORT ?? 4173) });
process.stderr.write(`${JSON.stringify({ msg: 'listening', url: site.origin })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void site.close().then(() => process.exit(0)));

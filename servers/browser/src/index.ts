/**
 * The browser package's public names: what the README generator and tests use. A server is run
 * by `main.ts`; nothing here starts anything (not even Chromium).
 */
export { browserConfigSchema, DEFAULT_BROWSER_LIMITS, type BrowserConfig, type BrowserLimits } from './config.js';
export { browserKind, createBrowserDeps, type BrowserDeps } from './deps.js';
export { BROWSER_ERRORS, type BrowserErrorCode } from './domain/errors.js';
export { BrowserNotFoundError, findChromium } from './domain/launcher.js';
export { browserMigrations } from './domain/schema.js';
export { browserReadmeTables } from './readme.js';
export { createBrowserServer, SERVER_INFO } from './server.js';
export { browserTools } from './tools/index.js';

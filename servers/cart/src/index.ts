/**
 * The cart package's public names: what the harness, the demo storefront, the README generator
 * and tests use. A server is run by `main.ts`; nothing here starts anything.
 */
export { cartConfigSchema, DEFAULT_CART_LIMITS, type CartConfig, type CartLimits } from './config.js';
export { cartKind, cartStores, createCartDeps, type CartDeps } from './deps.js';
export { CATALOG_SEED, generateCatalog, type Product } from './domain/catalog.js';
export { CART_ERRORS, type CartErrorCode } from './domain/errors.js';
export { cartMigrations } from './domain/schema.js';
export { createCartServer, SERVER_INFO } from './server.js';
export { cartTools } from './tools/index.js';
export { cartReadmeTables } from './readme.js';

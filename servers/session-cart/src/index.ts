/**
 * The session cart's public names: its tools and its per-session cart, for the README generator.
 * The server itself is run by `main.ts`.
 */
export { SessionCart } from './cart.js';
export { sessionCartTools } from './tools/index.js';

// @ts-check
// A server's start-up is mostly Node loading modules: the SDK, zod and the kit are hundreds of
// small ES modules, each resolved, read and compiled on its own. Run from a server package after
// `tsc`, this bundles the compiled `dist/main.js` and everything it imports into one file,
// `dist/main.bundle.js`, which is what `npm start`, the package's `bin` and the harness run; it
// starts in well under half the time (`npx sessionless-harness startup` measures it). The
// compiled `dist/main.js` stays, and is the same program. Left outside the bundle: native or
// optional packages that must be loaded from node_modules (better-sqlite3's addon, the pg driver
// loaded only with DATABASE_URL, Playwright and its browser registry).
import { build } from 'esbuild';

const EXTERNAL = ['better-sqlite3', 'pg', 'playwright-core', 'playwright'];

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.bundle.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS packages call require() for Node's own modules; an ES module has none.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});

// One lint configuration for every package. Besides the usual rules it enforces the import
// boundaries: servers depend on the kit only, never on each other; the harness never reaches
// into a server's internals; nothing deep-imports another package's src or dist; and no module
// takes part in an import cycle (scripts/lint/no-import-cycle.js, type-only imports included).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './scripts/lint/no-import-cycle.js';

const noDeepImports = {
  group: ['@sessionless/*/src/*', '@sessionless/*/dist/*', '../../*/src/*', '@modelcontextprotocol/*/dist/*'],
  message: 'Import a package through its exports, not its files.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', '**/reports/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    plugins: { local },
    rules: { 'local/no-import-cycle': 'error' },
  },
  {
    files: ['servers/*/src/**/*.ts'],
    ignores: ['servers/kit/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDeepImports,
            {
              group: ['@sessionless/server-*', '@sessionless/harness'],
              message: 'Servers import the kit only, never another server or the harness.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['harness/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDeepImports,
            {
              group: ['@sessionless/server-*'],
              message: 'The harness drives servers over MCP; it never imports them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', '**/examples/**', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
);

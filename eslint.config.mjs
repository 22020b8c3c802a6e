// ESLint (flat config), run by `npm test` through `npm run lint`.
// typescript-eslint's recommended rules plus React's rules of hooks. Formatting is Prettier's job
// (prettier.config.mjs), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'public/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // TypeScript checks names itself (and knows the browser, Node and WXT globals).
      'no-undef': 'off',
      // Sanitisers strip control characters on purpose (clips, codes, imports, backups).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Plain JavaScript scripts run in Node.
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: { ...globals.node } }, rules: { 'no-control-regex': 'off' } },
  // Tests and benches reach into browser pages and fake objects, where `any` is the honest type.
  { files: ['test/**', 'bench/**', 'server/test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);

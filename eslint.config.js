// ESLint flat config (layout is left to Prettier): typescript-eslint's strict type-checked rules over everything tsc compiles.
// typescript-eslint needs TypeScript's JS API, which TypeScript 7 does not ship: package.json maps
// `typescript` to @typescript/typescript6 (the 6.0 API, for the linter only) and builds with
// TypeScript 7's `tsc` from `@typescript/native`, as TypeScript's 7.0 release notes describe.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['build/', 'node_modules/', 'test/fixtures/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans print as people expect in messages; objects and nullish values are still caught.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `(x) => void-call` one-liners are the house style for callbacks and handlers.
      // ...and `return voidCall()` ends a void function early in one line.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // A caught `unknown` is passed on as it came: rethrowing or rejecting it must not wrap it.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      // Strings spread here hold ASCII or bytes (one character per code unit), or are counted in code points on purpose.
      '@typescript-eslint/no-misused-spread': ['error', { allow: [{ from: 'lib', name: 'string' }] }],
      // `const { dropped: _, ...kept } = o` is how a key is left out.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // An async function turns a synchronous throw into a rejection, which callers of a Promise API expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Tests and benchmarks know what the API rejects with (a KvError) and read its code directly.
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
  {
    files: ['test/supervision/bad-input.test.ts'],
    rules: {
      // This file feeds deliberately ill-typed input to the public API through an `any` view of it.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // Last: layout is Prettier's (npm run format), so no rule here may fight it.
  prettier,
);

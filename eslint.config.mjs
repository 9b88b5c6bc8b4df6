// Lint, run by `npm test`: typescript-eslint's type-checked rules, the size limits that keep every
// rule in one findable place, and Prettier's settings (formatting itself is Prettier's job).
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', 'test-output/', 'bench/results/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The server, tests, bench and scripts; and the console's browser code, with the DOM library.
      parserOptions: { project: ['./tsconfig.json', './tsconfig.console.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A file holds one job and a function one step: past these sizes a rule gets hard to find.
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Ports return promises; an adapter that can answer at once still implements them as async
      // functions, so that whatever it throws reaches the caller as a rejection, never synchronously.
      '@typescript-eslint/require-await': 'off',
      // A `let` a closure reads before it is assigned (a stream's close before its subscription exists) must stay a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests read as given/when/then lists and tables of cases: long describe blocks are their shape.
    files: ['**/*.spec.ts', '**/*.test-support.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'max-lines': 'off',
      'max-lines-per-function': 'off',
      // HTTP answers in tests are untyped JSON (supertest's body is `any`) read by expect(): typing
      // every one would restate each response shape the assertions already spell out.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Bad-input tests reach into request bodies by path to break them, field by field.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);

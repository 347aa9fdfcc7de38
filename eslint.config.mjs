// ESLint: correctness and the layer rule. Formatting is Prettier's job alone (`npm run format`),
// so no rule here is about layout.
import { dirname, extname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerOf, runtimeOf } from './scripts/layers.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));
const toRepo = (abs) => relative(ROOT, abs).split(sep).join('/');

/** The repository path an import names, without extension or trailing /index ('main/api'). */
function targetOf(file, spec) {
  let t = toRepo(resolve(dirname(file), spec));
  if (['.ts', '.tsx', '.js', '.mjs', '.cjs'].includes(extname(t))) t = t.slice(0, -extname(t).length);
  return t.replace(/\/index$/, '');
}

/** keyhold/layers: each folder imports only what its runtime and place allow (scripts/layers.mjs). */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow Keyhold’s layers (scripts/layers.mjs)' },
    schema: [],
    messages: {
      target: '{{file}} may not import {{target}}: {{why}}.',
      runtime: '{{file}} may not import {{spec}} ({{runtime}}): {{why}}.',
      unknown: 'Package {{spec}} is not classified: add it to DEPENDENCY_RUNTIMES in scripts/layers.mjs.',
    },
  },
  create(context) {
    const file = toRepo(context.filename);
    const layer = layerOf(file);
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = targetOf(context.filename, spec);
        if (!layer.allowTarget(target, typeOnly)) context.report({ node, messageId: 'target', data: { file, target, why: layer.why } });
        return;
      }
      const runtime = runtimeOf(spec);
      if (runtime === undefined) context.report({ node, messageId: 'unknown', data: { spec } });
      else if (!layer.runtimes.includes(runtime))
        context.report({ node, messageId: 'runtime', data: { file, spec, runtime, why: layer.why } });
    };
    const allTypes = (specifiers, kind) => specifiers.length > 0 && specifiers.every((s) => s[kind] === 'type');
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value, n.importKind === 'type' || allTypes(n.specifiers, 'importKind')),
      ExportNamedDeclaration: (n) =>
        n.source && check(n.source, n.source.value, n.exportKind === 'type' || allTypes(n.specifiers, 'exportKind')),
      ExportAllDeclaration: (n) => check(n.source, n.source.value, n.exportKind === 'type'),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value, false),
      TSImportType: (n) => {
        const arg = n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.source;
        if (arg?.type === 'Literal') check(arg, arg.value, true);
      },
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal')
          check(n.arguments[0], n.arguments[0].value, false);
      },
    };
  },
};

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', 'reports/**', 'test-results/**', 'playwright-report/**', '.electron-native/**', 'e2e/screenshots/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: ROOT },
    },
    rules: {
      // A promise nobody awaits loses its error: in main that is an unhandled rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // `_name` marks a parameter kept for its position (a callback's signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Type-only imports are what the layer rule lets the renderer and preload take from main/api.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Keyhold's parsers and writers refuse control characters on purpose (netrc, curl config,
      // key files): matching them is the point of those expressions.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read arbitrary answers to assert on them; `any` is refused where data crosses a
    // boundary (IPC, files, provider answers), which tests are not.
    files: ['**/*.test.ts', '**/*.testkit.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{mjs,cjs,js}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // CommonJS on purpose (see the file's header): require is how it imports.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['main/**', 'emulators/**', 'bench/**', 'e2e/**', 'scripts/**', '*.{ts,mjs}', '**/*.test.ts', '**/*.testkit.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**', 'preload/**'],
    ignores: ['**/*.test.ts', '**/*.testkit.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The two classic rules of hooks. The plugin's other recommended rules check code for the React
    // Compiler, which Keyhold does not use.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Playwright's fixture signature: `async ({}, use) => ...` declares a fixture with no dependencies.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    files: ['**/*.{ts,tsx,mjs}'],
    plugins: { keyhold: { rules: { layers: layersRule } } },
    rules: { 'keyhold/layers': 'error' },
  },
);

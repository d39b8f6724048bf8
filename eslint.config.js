import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * One room's `no-restricted-imports` block: the rooms above it (or beside it) by their folder name at any depth,
 * Node built-ins where the room must not do I/O, and clients' one door into workflows/ (messages.ts).
 */
function room(files, why, { builtins, rooms = [], clientRooms = [], workflows = false, extra = [] }) {
  const patterns = [...extra];
  if (rooms.length > 0) patterns.push({ regex: `^(\\.\\./)+(${rooms.join('|')})(/|$)`, message: `${why}.` });
  if (clientRooms.length > 0)
    patterns.push({ regex: `^(\\.\\./)+(client/)?(${clientRooms.join('|')})(/|$)`, message: `${why}.` });
  // Clients send messages by their definitions; nothing else of the workflows is theirs to import.
  if (workflows)
    patterns.push({
      regex: '^(\\.\\./)+workflows(/(?!messages$).*)?$',
      message: 'Clients import workflows/messages only.',
    });
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: builtins ? nodeBuiltins.map((name) => ({ name, message: builtins })) : [], patterns },
      ],
    },
  };
}

export default tseslint.config(
  // dist/: npm run build's output (compiled rooms and the workflow bundle), linted as its sources.
  { ignores: ['node_modules/', 'data/', 'coverage/', '.scratch/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'codec/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Activities and adapters are async by contract even when today's implementation is synchronous.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['bin/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly' } },
    // The lint plugins ship no types for their flat-config objects.
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Plain CommonJS because Node's own require loads it (the failure converter, also inside the workflow bundle).
    files: ['codec/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable', module: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // No import cycles anywhere: a cycle means two rooms (or two modules) that should be one, or a third below both.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: import.meta.dirname })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // The rooms and their arrows (README, "Layout"): each room may import only the rooms below it. bench/ sits on top
  // with test/: it may import every room, and no room imports it.
  room(['workflows/**/*.ts'], 'Workflow code is replayed: it imports domain/ and @temporalio/workflow only', {
    builtins: 'Workflow code must be deterministic: no Node built-ins.',
    rooms: ['codec', 'config', 'register', 'worker', 'client', 'devstack', 'bench'],
    extra: [
      {
        regex: '^(\\.\\./)+activities(/|$)',
        allowTypeImports: true,
        message: 'Import activities as types only (proxyActivities).',
      },
    ],
  }),
  room(['domain/**/*.ts'], 'domain/ is pure: it depends on nothing but zod', {
    builtins: 'domain/ is pure: no I/O.',
    rooms: ['codec', 'config', 'workflows', 'activities', 'register', 'worker', 'client', 'devstack', 'bench'],
    extra: [{ group: ['@temporalio/*'], message: 'domain/ is pure: no Temporal.' }],
  }),
  room(['codec/**/*.ts'], 'codec/ (payload encryption) sits on domain/ only', {
    rooms: ['config', 'workflows', 'activities', 'register', 'worker', 'client', 'devstack', 'bench'],
  }),
  room(['config/**/*.ts'], 'config/ (loading configuration) sits on domain/ and codec/ only', {
    rooms: ['workflows', 'activities', 'register', 'worker', 'client', 'devstack', 'bench'],
  }),
  room(['register/**/*.ts'], 'register/ (the breach register store) sits on domain/ only', {
    rooms: ['codec', 'config', 'workflows', 'activities', 'worker', 'client', 'devstack', 'bench'],
  }),
  room(['activities/**/*.ts'], 'activities/ use domain/, codec/, config/ and register/ only', {
    rooms: ['workflows', 'worker', 'client', 'devstack', 'bench'],
  }),
  room(['worker/**/*.ts'], 'worker/ runs workflows and activities: nothing a person touches, no development stack', {
    rooms: ['client', 'devstack', 'bench'],
  }),
  room(['client/shared/**/*.ts'], 'client/shared/ is what the CLI and the HTTP service share: it imports neither', {
    rooms: ['activities', 'worker', 'devstack', 'bench'],
    clientRooms: ['cli', 'http', 'web'],
    workflows: true,
  }),
  room(['client/cli/**/*.ts'], 'client/cli/ uses client/shared/, never the HTTP service or the pages', {
    rooms: ['activities', 'worker', 'devstack', 'bench'],
    clientRooms: ['http', 'web'],
    workflows: true,
  }),
  room(['client/http/**/*.ts'], 'client/http/ uses client/shared/ and client/web/, never the CLI', {
    rooms: ['activities', 'worker', 'devstack', 'bench'],
    clientRooms: ['cli'],
    workflows: true,
  }),
  room(['client/web/**/*.ts'], 'client/web/ renders pages from domain/ data: HTML out, nothing else', {
    rooms: ['codec', 'config', 'workflows', 'activities', 'register', 'worker', 'devstack', 'bench'],
    clientRooms: ['cli', 'http', 'shared'],
    extra: [
      { group: ['fastify', '@fastify/*', '@temporalio/*'], message: 'Renderers never import Fastify or Temporal.' },
    ],
  }),
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
);

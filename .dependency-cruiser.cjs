/**
 * The direction of every import (issue 13 item 1), checked by `pnpm lint`:
 *   domain ← db ← api core ← (trpc, rest, cli) ← routers ← server
 * "api core" is everything under apps/api/src that no surface owns: core/, audit/, auth/, ratelimit/,
 * webhooks/ (the outbox and its worker, which services.ts starts) and the process-wide modules beside them.
 * Tests may reach across layers (a test of core builds its principal with the tRPC context helpers), the
 * rules are about what ships; no cycles anywhere, tests included.
 */
const API = '^apps/api/src/';
const SURFACES = `${API}(trpc|rest|cli)/`;
const ROUTERS = `${API}routers/`;
const ENTRY = `${API}(server|main|index|openapi-document)\\.ts$`;
const TESTS = '\\.test\\.ts$|/test/|/test-helpers\\.ts$|/testing\\.ts$|/test-fixtures\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle: two modules that need each other cannot be understood, tested or moved apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'packages/domain depends on no other workspace package.',
      from: { path: '^packages/domain/' },
      to: { path: '^(packages/(db|client)|apps)/' },
    },
    {
      name: 'db-below-apps',
      severity: 'error',
      comment: 'packages/db knows the domain, never an app.',
      from: { path: '^packages/db/', pathNot: TESTS },
      to: { path: '^(apps|packages/client)/' },
    },
    {
      name: 'core-below-surfaces',
      severity: 'error',
      comment:
        'The api core (core, audit, auth, ratelimit, webhooks, services…) never imports a surface, a router or the server.',
      from: { path: API, pathNot: [SURFACES, ROUTERS, ENTRY, TESTS] },
      to: { path: [SURFACES, ROUTERS, ENTRY] },
    },
    {
      name: 'surfaces-independent',
      severity: 'error',
      comment: 'trpc, rest and cli are siblings: none imports another, a router or the server.',
      from: { path: `${API}(trpc)/`, pathNot: TESTS },
      to: { path: [`${API}(rest|cli)/`, ROUTERS, ENTRY] },
    },
    {
      name: 'rest-below-routers',
      severity: 'error',
      comment:
        'The REST facade is handed the router at start-up; it never imports one, the cli or the server.',
      from: { path: `${API}rest/`, pathNot: TESTS },
      to: { path: [`${API}cli/`, ROUTERS, ENTRY] },
    },
    {
      name: 'cli-below-routers',
      severity: 'error',
      comment: 'The CLI calls the core; it never imports tRPC, REST, a router or the server.',
      from: { path: `${API}cli/`, pathNot: TESTS },
      to: { path: [`${API}(trpc|rest)/`, ROUTERS, ENTRY] },
    },
    {
      name: 'routers-below-server',
      severity: 'error',
      comment: 'Routers never import the server or the REST facade (the playground is handed a dispatcher).',
      from: { path: ROUTERS, pathNot: TESTS },
      to: { path: [ENTRY, `${API}(rest|cli)/`] },
    },
    {
      name: 'no-sibling-router',
      severity: 'error',
      comment:
        "A router area does not reach into another area's files; what two areas share lives below them.",
      from: { path: `${ROUTERS}([^/]+)/`, pathNot: TESTS },
      to: { path: `${ROUTERS}[^/]+/`, pathNot: `${ROUTERS}$1/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(apps|packages)/',
    exclude: { path: '/(dist|\\.data|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};

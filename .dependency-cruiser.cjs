/**
 * Architecture rules, checked in `npm run lint`:
 * - an app never imports another app (services talk through events);
 * - libs never import apps;
 * - domain code (and libs/core) imports no framework or infrastructure package;
 * - no cycles.
 */
const FRAMEWORK = '^node_modules/(@nestjs|typeorm|pg|pg-pool|kafkajs|@eventstore|class-validator|class-transformer|express|pino|nestjs-pino|prom-client|@electric-sql)/';

module.exports = {
  forbidden: [
    {
      name: 'apps-are-independent',
      comment: 'Apps exchange integration events; they never import each other.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-is-framework-free',
      comment: 'Deciders and domain types are plain TypeScript: no Nest, ORM, driver or broker.',
      severity: 'error',
      from: { path: ['^apps/[^/]+/src/[a-z0-9/-]*domain/', '^libs/core/'] },
      to: { path: FRAMEWORK },
    },
    {
      name: 'domain-does-not-reach-out',
      comment: 'Domain code depends only on other domain code and libs/core.',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/[a-z0-9/-]*domain/' },
      to: { path: '^(apps/[^/]+/src/[a-z0-9/-]*(commands|queries|projections|infrastructure)/|libs/(messaging|service-kit|testing)/)' },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '(\\.spec\\.ts$|^libs/testing/|/testing/|^apps/[^/]+/test/)' },
      to: { path: '(\\.spec\\.ts$|^libs/testing/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^data/|^build/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

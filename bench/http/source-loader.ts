/**
 * How the bench's child processes run TypeScript from the sources: ts-node's transpile-only mode,
 * as `npm run bench` runs the bench itself, unless BENCH_TS_LOADER names another module to
 * preload (the tests name their cached transpiler, so that no child compiles the sources again).
 */
export function sourceLoaderArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const loader = env.BENCH_TS_LOADER;
  return ['-r', loader !== undefined && loader !== '' ? loader : 'ts-node/register/transpile-only'];
}

// Lets the body-parse threads load the TypeScript sources when the app runs
// under the test runner (production threads load the compiled JavaScript), and
// `npm run openapi` build the application from its sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require('typescript');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readFileSync } = require('node:fs');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  sourceMap: false,
  // As tsconfig.json: decorator metadata of `number | null` is Object, not Number.
  strict: true,
};

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

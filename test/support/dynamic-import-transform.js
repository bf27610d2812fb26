/**
 * Jest runs CommonJS in a vm without dynamic import() (that needs
 * --experimental-vm-modules). The OTLP exporter loads node:http with
 * `import('http')`; under the test runner only, that becomes a require. Node
 * itself (npm start, the bench) runs the package as published.
 */
module.exports = {
  process(source) {
    return {
      code: source.replace(
        /\bimport\((['"])([\w:/.-]+)\1\)/g,
        (_m, q, name) => `Promise.resolve().then(() => require(${q}${name}${q}))`,
      ),
    };
  },
};

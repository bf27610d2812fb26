import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Where the traced variants send their spans: a node:http server in the bench
 * process that takes OTLP/HTTP exports and throws them away, counting them. So
 * a traced Postroom pays for building, serializing and sending its spans, as it
 * would with a collector, and the bench needs none.
 */
export async function startOtlpSink() {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    figures: () => ({ exports, bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

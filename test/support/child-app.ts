import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * A require hook that compiles TypeScript on the fly (no ts-node here):
 * src/main.ts then runs in a real process of its own, which a test can kill.
 */
const BOOT = `
const ts = require('typescript');
const fs = require('fs');
const options = {
  module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
  experimentalDecorators: true, emitDecoratorMetadata: true, isolatedModules: true,
};
require.extensions['.ts'] = (m, file) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
  m._compile(outputText, file);
};
require(process.env.POSTROOM_TEST_ENTRY);
`;

export interface ChildApp {
  proc: ChildProcess;
  output: string[];
  /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
  kill(): Promise<void>;
}

/** Starts src/main.ts with env (plus PATH) and waits for its "listening" line. */
export async function startChildApp(env: Record<string, string>): Promise<ChildApp> {
  const proc = spawn(process.execPath, ['-e', BOOT], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH ?? '',
      POSTROOM_TEST_ENTRY: join(__dirname, '..', '..', 'src', 'main.ts'),
      NODE_ENV: 'test',
      LOG_FORMAT: 'json',
      DB_MIGRATE_ON_START: 'false',
      LOAD_DEMO_DATA: 'false',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child app did not start:\n${output.join('')}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (/listening on/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child app exited (${String(code)}):\n${output.join('')}`));
    });
  });
  return {
    proc,
    output,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

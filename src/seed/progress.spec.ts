import { ConsoleProgress } from './progress';

function output(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (s: string) => chunks.push(s) };
}

describe('ConsoleProgress', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 0;
  });

  it('prints one line per finished step when the output is not a terminal', () => {
    const out = output(false);
    const p = new ConsoleProgress(out, now);
    p.begin('documents', 1_000_000);
    p.update(500_000);
    clock = 65_000;
    p.end();
    expect(out.chunks).toHaveLength(1);
    expect(out.chunks[0]).toMatch(
      /^documents +\[#{24}\] 1,000,000\/1,000,000 100% {2}elapsed 1:05 {2}\(65\.0 s\)\n$/,
    );
  });

  it('redraws one line with \\r on a terminal', () => {
    const out = output(true);
    const p = new ConsoleProgress(out, now);
    p.begin('mails', 200);
    p.update(50);
    p.end();
    expect(out.chunks).toHaveLength(3);
    expect(out.chunks.every((c) => c.startsWith('\r'))).toBe(true);
    expect(out.chunks[1]).toContain('[######..................] 50/200  25%');
    expect(out.chunks[2].endsWith('\n')).toBe(true);
  });
});

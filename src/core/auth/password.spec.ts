import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horsE', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    await expect(verifyPassword('x', 'plain')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$a$b$c$d$e')).resolves.toBe(false);
  });

  it('hashes off the event loop: the loop keeps turning while a check is pending', async () => {
    const hash = await hashPassword('correct horse');
    let turns = 0;
    let pending = true;
    const spin = (): void => {
      if (!pending) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    // Four at once: as many as libuv's default threadpool runs.
    const checks = await Promise.all(
      Array.from({ length: 4 }, () => verifyPassword('correct horse', hash)),
    );
    pending = false;
    expect(checks).toEqual([true, true, true, true]);
    // A hash done on the loop itself would let no turn happen before it resolves.
    expect(turns).toBeGreaterThan(10);
  });
});

import request from 'supertest';
import type { Server } from 'node:http';
import { seedSmall } from '../../src/seed/small-seed';
import { withDirectClient } from '../../src/seed/seed-runner';
import type { Queryable } from '../../src/core/database/db.service';

export const ADMIN = { email: 'admin@postroom.local', password: 'postroom-admin' };
export const DEMO_PASSWORD = 'postroom-demo';

/** Loads the small demo data set (two organizations, admins, clerks, finance readers). */
export async function seedDemo(url: string): Promise<void> {
  await withDirectClient(url, (q) =>
    seedSmall(q, {
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      demoPassword: DEMO_PASSWORD,
    }),
  );
}

/** Runs SQL directly against a test database (arranging and checking, never the code under test). */
export function sql<T extends Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withDirectClient(url, (q: Queryable) => q.query<T>(text, params));
}

/** A bearer header for the given user. */
export async function login(
  server: Server,
  email: string,
  password = DEMO_PASSWORD,
): Promise<{ Authorization: string }> {
  const res = await request(server).post('/api/auth/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { Authorization: `Bearer ${(res.body as { token: string }).token}` };
}

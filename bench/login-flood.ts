import { randomBytes } from 'node:crypto';
import { sleep, waitUntilIdle } from './child-process';
import { SlicedLoad } from './load';
import type { ScenarioResult } from './report';
import type { ExtraPostrooms, Measured } from './scenario-runner';
import { alternate, loadOn } from './scenario-runner';
import type { PreparedScenario } from './scenarios';

const say = (m: string) => process.stdout.write(`${m}\n`);

/**
 * The storm runs this long before a measured run starts: past
 * LOGIN_QUEUE_TIMEOUT_MS (2 s), so the login lane is full and shedding.
 */
const STORM_LEAD_SEC = 3;
/** …and this long after it ends, so the measured run never sees the storm stop. */
const STORM_TAIL_SEC = 1;

/**
 * grid-user at the usual connections on the main Postroom, alone and during a
 * storm of sign-ins with unknown emails (each one a password hash), in
 * alternating slices: what a flood of sign-ins costs signed-in traffic.
 */
export async function runLoginFlood(
  r: ScenarioResult,
  s: PreparedScenario,
  { headers, args, main }: ExtraPostrooms,
): Promise<ScenarioResult> {
  const stormConnections = args.loginStormConnections;
  say(
    `▸ login-flood: grid-user at ${args.connections} connections on the main Postroom, alone and during ` +
      `${stormConnections.toLocaleString('en-US')} connections signing in with unknown emails, ` +
      `in ${args.slices} alternating slices …`,
  );
  const alone = loadOn(main, s.path, headers, args.connections);
  // No server pid: the server is never idle while the storm lasts (SlicedLoad would wait for that).
  const signedIn = new SlicedLoad({
    url: `${main.baseUrl}${s.path}`,
    headers,
    connections: args.connections,
  });
  // Every sign-in a new unknown email: each costs a password hash, none is throttled.
  const run = randomBytes(4).toString('hex');
  let signIns = 0;
  const storm = new SlicedLoad({
    url: `${main.baseUrl}/api/auth/login`,
    headers: { 'content-type': 'application/json' },
    bodyOf: () =>
      JSON.stringify({
        email: `storm-${run}-${++signIns}@flood.example`,
        password: 'not-the-password',
      }),
    connections: stormConnections,
  });
  const underStorm = async (
    seconds: number,
    measure: (seconds: number) => Promise<void>,
    record: boolean,
  ): Promise<void> => {
    if (seconds <= 0) return;
    const total = STORM_LEAD_SEC + seconds + STORM_TAIL_SEC;
    const raging = record ? storm.slice(total) : storm.warmup(total);
    await sleep(STORM_LEAD_SEC * 1000);
    await measure(seconds);
    await raging;
    await waitUntilIdle(main.child.pid);
  };
  const during: Measured = {
    warmup: (seconds) => underStorm(seconds, (sec) => signedIn.warmup(sec), false),
    slice: (seconds) => underStorm(seconds, (sec) => signedIn.slice(sec), true),
  };
  await alternate([alone, during], args);

  const lane = await loginLaneFigures(main.baseUrl);
  const withoutStorm = alone.result();
  const withStorm = signedIn.result();
  return {
    ...r,
    api: withStorm,
    reference: withoutStorm,
    variants: [
      { label: `alone, ${args.connections} connections`, load: withoutStorm },
      {
        label: `during the login storm (${stormConnections.toLocaleString('en-US')} connections)`,
        load: withStorm,
      },
    ],
    storm: storm.result(),
    note:
      `during a ${stormConnections.toLocaleString('en-US')}-connection login storm` +
      (lane ? `; login lane ${lane}` : ''),
  };
}

/** The main Postroom's login lane as /metrics shows it: its cap and what it shed. */
async function loginLaneFigures(baseUrl: string): Promise<string | undefined> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const read = (name: string) =>
      new RegExp(`^postroom_login_${name} (\\S+)$`, 'm').exec(text)?.[1];
    const max = read('max_in_flight');
    if (max === undefined) return undefined;
    return `${max} at once, ${read('shed_requests_total') ?? '?'} shed, ${read('abandoned_requests_total') ?? '?'} abandoned`;
  } catch {
    return undefined;
  }
}

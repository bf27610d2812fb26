import type { SeedSet } from '../seed/seed-command';

export interface SeedArgs {
  set: SeedSet;
  reset: boolean;
  /** Row-count factor of the large set (1 = full size). */
  scale: number;
}

export const SEED_USAGE =
  'usage: npm run seed -- --scale small|large [--reset] [--factor <number>]\n' +
  '  --scale small   the demo data set (2 organizations, a few dozen rows), if no data set is loaded\n' +
  '  --scale large   24 organizations, 1,000,000 documents, 300,000 mails, 2,000 batches\n' +
  '  --reset         delete ALL business data first (otherwise other data makes the command refuse)\n' +
  "  --factor <n>    multiply the large set's bulk row counts by n (e.g. 0.1), default 1";

export class SeedArgsError extends Error {}

/** Parses the seed command's arguments (`--scale large`, `--scale=large`, ...). */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const args: Partial<SeedArgs> = { reset: false, scale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new SeedArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--scale': {
        const v = value();
        if (v !== 'small' && v !== 'large') {
          throw new SeedArgsError(`--scale: got "${v}", accepts small or large`);
        }
        args.set = v;
        break;
      }
      case '--reset':
        if (inline !== undefined) throw new SeedArgsError('--reset takes no value');
        args.reset = true;
        break;
      case '--factor': {
        const v = value();
        const n = Number(v);
        if (!Number.isFinite(n) || n <= 0 || n > 10) {
          throw new SeedArgsError(`--factor: got "${v}", accepts a number in (0, 10]`);
        }
        args.scale = n;
        break;
      }
      default:
        throw new SeedArgsError(`unknown argument "${argv[i]}"`);
    }
  }
  if (args.set === undefined) throw new SeedArgsError('--scale is required');
  return args as SeedArgs;
}

import { SeedArgsError, parseSeedArgs } from './seed-args';

describe('parseSeedArgs', () => {
  it('reads the scale, --reset and --factor in either form', () => {
    expect(parseSeedArgs(['--scale', 'large'])).toEqual({ set: 'large', reset: false, scale: 1 });
    expect(parseSeedArgs(['--scale=small', '--reset'])).toEqual({
      set: 'small',
      reset: true,
      scale: 1,
    });
    expect(parseSeedArgs(['--scale', 'large', '--factor=0.1'])).toMatchObject({ scale: 0.1 });
  });

  it.each([
    [[], /--scale is required/],
    [['--scale', 'huge'], /got "huge", accepts small or large/],
    [['--scale'], /--scale needs a value/],
    [['--scale', 'large', '--factor', '0'], /--factor: got "0"/],
    [['--scale', 'large', '--force'], /unknown argument "--force"/],
    [['--reset=yes', '--scale', 'small'], /takes no value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(SeedArgsError);
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});

import { errorOf } from '../../../../test/support/api-error-of';
import { groupActions, parseEntityActions } from './role-grants';

describe('role grants', () => {
  it('turns an entity → actions map into sorted, distinct pairs', () => {
    expect(parseEntityActions({ mail: ['view', 'edit', 'view'], document: ['view'] })).toEqual([
      ['document', 'view'],
      ['mail', 'edit'],
      ['mail', 'view'],
    ]);
    expect(parseEntityActions({})).toEqual([]);
  });

  it('names the entity type of an unknown type, a non-list or an unknown action', () => {
    expect(errorOf(() => parseEntityActions({ spaceship: ['view'] }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      parameter: 'entityActions.spaceship',
    });
    expect(errorOf(() => parseEntityActions({ mail: 'view' }))).toMatchObject({
      parameter: 'entityActions.mail',
    });
    const e = errorOf(() => parseEntityActions({ mail: ['view', 'launch'] }));
    expect(e.parameter).toBe('entityActions.mail');
    expect(e.message).toContain('"launch"');
  });

  it('refuses grants on organizations, which only platform admins manage', () => {
    expect(errorOf(() => parseEntityActions({ organization: ['view'] })).parameter).toBe(
      'entityActions.organization',
    );
  });

  it('groups pairs back by entity type', () => {
    expect(
      groupActions([
        ['mail', 'view'],
        ['document', 'view'],
        ['mail', 'assign'],
      ]),
    ).toEqual({ mail: ['assign', 'view'], document: ['view'] });
  });
});

import { checkItemPayload } from './batch-item-payload';

describe('checkItemPayload', () => {
  it('normalizes a valid payload', () => {
    expect(
      checkItemPayload({
        subject: 'Invoice',
        sender: 'a@example.com',
        receivedOn: '2025-03-01T10:00:00+02:00',
        priority: 'urgent',
        documentTitle: '  Scan 1  ',
        documentTypeId: 7,
        folderId: 3,
      }),
    ).toEqual({
      ok: true,
      item: {
        subject: 'Invoice',
        sender: 'a@example.com',
        receivedOn: '2025-03-01T08:00:00.000Z',
        priority: 'urgent',
        documentTitle: 'Scan 1',
        documentTypeId: 7,
        folderId: 3,
      },
    });
  });

  it('takes defaults for what is optional; a type without a title files nothing', () => {
    expect(
      checkItemPayload({ subject: 's', sender: 'x', documentTypeId: 7, priority: null }),
    ).toEqual({
      ok: true,
      item: {
        subject: 's',
        sender: 'x',
        receivedOn: null,
        priority: 'normal',
        documentTitle: null,
        documentTypeId: null,
        folderId: null,
      },
    });
  });

  it.each([
    [null, 'payload: takes an object'],
    [[], 'payload: takes an object'],
    [{ sender: 'x' }, 'subject: required, a text of 1 to 500 characters'],
    [{ subject: '  ', sender: 'x' }, 'subject: is blank, takes 1 to 500 characters'],
    [{ subject: 5, sender: 'x' }, 'subject: got number, takes a text'],
    [{ subject: 's', sender: 'x'.repeat(321) }, 'sender: has 321 characters, takes at most 320'],
    [
      { subject: 's', sender: 'x', priority: 'asap' },
      'priority: got "asap", takes one of low, normal, high, urgent',
    ],
    [
      { subject: 's', sender: 'x', receivedOn: 'soon' },
      'receivedOn: got "soon", takes an ISO 8601 timestamp',
    ],
    [
      { subject: 's', sender: 'x', folderId: 1.5 },
      'folderId: got 1.5, takes a positive integer id',
    ],
    [
      { subject: 's', sender: 'x', documentTitle: 'T', documentTypeId: '7' },
      'documentTypeId: got "7", takes a positive integer id',
    ],
  ])('rejects %j: %s', (payload, reason) => {
    expect(checkItemPayload(payload)).toEqual({ ok: false, reason });
  });

  it('counts characters as PostgreSQL does (code points)', () => {
    const emoji = '📄'.repeat(500); // 1000 UTF-16 units, 500 code points
    expect(checkItemPayload({ subject: emoji, sender: 'x' }).ok).toBe(true);
    expect(checkItemPayload({ subject: `${emoji}a`, sender: 'x' })).toEqual({
      ok: false,
      reason: 'subject: has 501 characters, takes at most 500',
    });
  });
});

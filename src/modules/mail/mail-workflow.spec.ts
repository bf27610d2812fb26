import type { MailStatus } from './mail-workflow';
import { MAIL_STATUSES, assignMove, statusMove, unassignMove } from './mail-workflow';

describe('mail workflow', () => {
  it('moves forward through the status route', () => {
    expect(statusMove('assigned', 'in_progress')).toEqual({ ok: true, to: 'in_progress' });
    expect(statusMove('in_progress', 'done')).toEqual({ ok: true, to: 'done' });
    expect(statusMove('done', 'archived')).toEqual({ ok: true, to: 'archived' });
  });

  it('sends assignment moves to their own routes', () => {
    const toAssigned = statusMove('new', 'assigned');
    expect(toAssigned).toMatchObject({ ok: false, from: 'new', to: 'assigned' });
    expect(toAssigned.ok === false && toAssigned.reason).toMatch(/assign/);
    const toNew = statusMove('in_progress', 'new');
    expect(toNew.ok === false && toNew.reason).toMatch(/unassign/);
  });

  it('refuses everything else, naming where the status may go', () => {
    const allowed = new Set(['assigned>in_progress', 'in_progress>done', 'done>archived']);
    for (const from of MAIL_STATUSES) {
      for (const to of MAIL_STATUSES) {
        expect(statusMove(from, to).ok).toBe(allowed.has(`${from}>${to}`));
      }
    }
    const r = statusMove('new', 'done');
    expect(r.ok === false && r.reason).toBe(
      'from new the status may move to assigned (by assigning)',
    );
    const final = statusMove('archived', 'done');
    expect(final.ok === false && final.reason).toBe('archived is final: the status cannot change');
  });

  it('assigns new mail as assigned and keeps the status of a reassignment', () => {
    expect(assignMove('new')).toEqual({ ok: true, to: 'assigned' });
    expect(assignMove('assigned')).toEqual({ ok: true, to: 'assigned' });
    expect(assignMove('in_progress')).toEqual({ ok: true, to: 'in_progress' });
    for (const from of ['done', 'archived'] as MailStatus[]) {
      expect(assignMove(from)).toMatchObject({ ok: false, from, to: 'assigned' });
    }
  });

  it('unassigns only open work, back to new', () => {
    expect(unassignMove('assigned')).toEqual({ ok: true, to: 'new' });
    expect(unassignMove('in_progress')).toEqual({ ok: true, to: 'new' });
    for (const from of ['new', 'done', 'archived'] as MailStatus[]) {
      expect(unassignMove(from)).toMatchObject({ ok: false, from, to: 'new' });
    }
  });
});

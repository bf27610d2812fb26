import { ApiError } from '../../../core/http/api-error';
import type { Action } from '../permission.types';
import { ACTIONS, ENTITY_TYPES } from '../permission.types';

/** Entity types a role can be granted actions on (organizations are the platform admins' own). */
export const GRANTABLE_TYPES: readonly string[] = ENTITY_TYPES.filter((t) => t !== 'organization');

/**
 * `{ mail: ['view', 'edit'], … }` as checked (type, action) pairs, sorted; 400
 * naming `entityActions.<type>` for an unknown type, a non-list or an unknown action.
 */
export function parseEntityActions(input: Record<string, unknown>): [string, Action][] {
  const pairs: [string, Action][] = [];
  for (const [type, actions] of Object.entries(input)) {
    const parameter = `entityActions.${type}`;
    if (!GRANTABLE_TYPES.includes(type)) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        `${parameter}: unknown entity type, takes one of ${GRANTABLE_TYPES.join(', ')}`,
        parameter,
      );
    }
    if (!Array.isArray(actions)) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        `${parameter}: takes a list of actions`,
        parameter,
      );
    }
    for (const a of new Set<unknown>(actions)) {
      if (typeof a !== 'string' || !(ACTIONS as readonly string[]).includes(a)) {
        throw ApiError.badRequest(
          'VALIDATION_FAILED',
          `${parameter}: unknown action ${JSON.stringify(a)}, takes ${ACTIONS.join(', ')}`,
          parameter,
        );
      }
      pairs.push([type, a as Action]);
    }
  }
  return pairs.sort((x, y) => x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]));
}

/** (type, action) pairs back to `{ type: [actions] }`. */
export function groupActions(pairs: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [type, action] of pairs) (out[type] ??= []).push(action);
  for (const list of Object.values(out)) list.sort();
  return out;
}

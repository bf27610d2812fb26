import { ApiError } from '../../core/http/api-error';
import type { UserAccess } from './permission.types';

/**
 * The organization a new record goes into: platform administrators (who belong
 * to none) name it; everyone else writes into their own, and naming another is
 * refused. `field` names the request field in the 400/403.
 */
export function targetOrganization(
  access: UserAccess,
  requested: number | null | undefined,
  field = 'organizationId',
): number {
  if (access.isPlatformAdmin) {
    if (requested === undefined || requested === null) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        `${field}: platform administrators name the organization the record belongs to`,
        field,
      );
    }
    return requested;
  }
  if (access.organizationId === null) {
    throw ApiError.forbidden('Your account belongs to no organization');
  }
  if (requested !== undefined && requested !== null && requested !== access.organizationId) {
    throw new ApiError(
      403,
      'FORBIDDEN',
      `${field}: you may only create records in your own organization`,
      field,
    );
  }
  return access.organizationId;
}

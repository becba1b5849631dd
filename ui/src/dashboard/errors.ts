// What went wrong and what to do, by the API's error code (never by its
// message text, which is shown only as detail).
import { ApiError } from './api';
import { translate } from './i18n';
import type { Language } from '../shared/gen';

/** What the failed call was for: a report (the default), a tracing lookup or a change to an account. */
export type ErrorContext = 'report' | 'trace' | 'users';

/** The advice for a failed call. */
export function errorAdvice(e: ApiError, language: Language, context: ErrorContext = 'report'): string {
  if (e.status === 0) return translate(language, 'err.network');
  if (e.status === 429) return translate(language, 'err.busy', { n: e.retryAfter ?? 30 });
  if (context === 'users') {
    switch (e.code) {
      case 'outside_area':
        return translate(language, 'err.userOutside');
      case 'invalid':
        return translate(language, 'err.userInvalid');
      case 'login_taken':
        return translate(language, 'err.login_taken');
      case 'own_account':
        return translate(language, 'err.own_account');
      case 'not_found':
        return translate(language, 'err.userNotFound');
      case 'role':
        return translate(language, 'err.userRole');
    }
  }
  switch (e.code) {
    case 'outside_area':
      return translate(language, context === 'trace' ? 'err.venueOutside' : 'err.outside_area');
    case 'invalid':
      return translate(language, context === 'trace' ? 'err.traceInvalid' : 'err.invalid');
    case 'csrf':
      return translate(language, 'err.csrf');
    case 'role':
      return translate(language, 'err.role');
    case 'unknown_venue':
      return translate(language, 'err.unknown_venue');
  }
  if (e.status >= 500) return translate(language, 'err.server');
  return translate(language, 'err.unknown');
}

/** Any thrown value as an ApiError (a bug in the page counts as unknown). */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(-1, 'unknown', String((e as Error)?.message ?? e));
}

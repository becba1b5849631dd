// Command errors as people read them: what happened and what to do, chosen
// by the stable `code`; the backend's `message` is shown only as detail.
import type { CommandError, Language } from './gen';
import { hasMessage, lang, translate } from './i18n';

/** What happened and what to do, for an error code. */
export function errorAdvice(code: string, language: Language = lang.value): string {
  const key = `errc.${code}`;
  return hasMessage(key) ? translate(language, key as 'errc.unknown') : translate(language, 'errc.unknown');
}

/** True when the code is one the UI knows (so the advice is specific). */
export function knownErrorCode(code: string): boolean {
  return hasMessage(`errc.${code}`) && code !== 'unknown' && code !== 'title' && code !== 'codeLabel';
}

/** A one-line text for a toast: the advice, then the backend's detail when it adds something. */
export function errorLine(e: CommandError, language: Language = lang.value): string {
  const advice = errorAdvice(e.code, language);
  return knownErrorCode(e.code) || !e.message ? advice : `${advice} (${e.message})`;
}

/** Sync error codes that mean the server refuses the device itself: only a new enrollment helps. */
export type DeviceRefusal = 'device_revoked' | 'credential_refused';

/** The refusal a sync state reports, if the server refuses this device. */
export function deviceRefusal(sync: { phase: string; error_code: string | null } | null | undefined): DeviceRefusal | null {
  if (sync?.phase !== 'error') return null;
  return sync.error_code === 'device_revoked' || sync.error_code === 'credential_refused' ? sync.error_code : null;
}

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

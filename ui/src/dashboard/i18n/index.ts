// The dashboard's text in the language the shared `lang` signal holds (the
// shared components, e.g. the unit combobox, follow the same signal).
import { lang } from '../../shared/i18n';
import type { Language } from '../../shared/gen';
import { vi, type MessageKey } from './vi';
import { en } from './en';
import type { MessageArgs, Messages } from './messages';

export type { MessageKey } from './vi';
export type { Messages } from './messages';
export { lang };

export const MESSAGES: Record<Language, Messages> = { vi, en };

/** The message `key` in `language`. */
export function translate<K extends MessageKey>(language: Language, key: K, ...args: MessageArgs<K>): string {
  const m = (MESSAGES[language] ?? vi)[key] as string | ((a: unknown) => string);
  return typeof m === 'function' ? m(args[0]) : m;
}

/** The message `key` in the current language (subscribes the calling component). */
export function t<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  return translate(lang.value, key, ...args);
}

const STORE_KEY = 'checkin.dashboard.language';

/** The language chosen last time in this browser (Vietnamese first). */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | null): Language {
  try {
    return storage?.getItem(STORE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

/** Shows `l` and remembers it in this browser. */
export function setLanguage(l: Language, storage: Pick<Storage, 'setItem'> | null): void {
  lang.value = l;
  try {
    storage?.setItem(STORE_KEY, l);
  } catch {
    // Private mode: the choice lasts until the tab closes.
  }
}

// The UI language as a signal, and `t`: components that call `t` re-render
// when the language changes. Persisting the choice is the station's job
// (settings_update), not this module's.
import { signal } from '@preact/signals';
import type { Language } from '../gen';
import { vi, type MessageKey } from './vi';
import { en } from './en';
import type { MessageArgs, Messages } from './messages';

export type { MessageKey } from './vi';
export type { Messages } from './messages';

export const LANGUAGES: readonly Language[] = ['vi', 'en'];

/** Every language's messages (vi is the reference). */
export const MESSAGES: Record<Language, Messages> = { vi, en };

/** The language the UI shows now. */
export const lang = signal<Language>('vi');

/** The message `key` in `language`. */
export function translate<K extends MessageKey>(language: Language, key: K, ...args: MessageArgs<K>): string {
  const m = (MESSAGES[language] ?? vi)[key] as string | ((a: unknown) => string);
  return typeof m === 'function' ? m(args[0]) : m;
}

/** The message `key` in the current language (subscribes the calling component). */
export function t<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  return translate(lang.value, key, ...args);
}

/** True when `key` names a message (for keys built from codes coming from the backend). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(vi, key);
}

// Tiếng Việt / English, remembered in this browser.
import type { Language } from '../../shared/gen';
import { LANGUAGES } from '../../shared/i18n';
import { lang, setLanguage, t } from '../i18n';

export function LanguageSwitch() {
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGUAGES.map((l: Language) => (
        <button
          type="button"
          key={l}
          lang={l}
          class="lang-btn"
          aria-pressed={lang.value === l}
          data-lang={l}
          onClick={() => setLanguage(l, safeStorage())}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}

/** localStorage, or null where the browser refuses it. */
export function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

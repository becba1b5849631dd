// The always-visible bits of the frame: language switch and status chip.
import type { Language } from '../shared/gen';
import { LANGUAGES, lang, t } from '../shared/i18n';
import { formatNumber } from '../shared/format';
import { deviceRefusal } from '../shared/errors';
import { useStation } from './station';

export function LanguageSwitch() {
  const station = useStation();
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
          onClick={() => lang.value !== l && void station.setLanguage(l)}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}

export function StatusChip() {
  const station = useStation();
  const s = station.status.value;
  const sync = station.sync.value;
  const pending = s?.queue.pending ?? 0;
  let state: 'online' | 'offline' | 'syncing' | 'not_enrolled' | 'revoked' | 'error' | 'store_error' = 'offline';
  if (!s && station.startError.value) state = 'store_error';
  else if (sync?.phase === 'not_enrolled' || (s && !s.enrollment)) state = 'not_enrolled';
  else if (sync?.phase === 'syncing') state = 'syncing';
  else if (deviceRefusal(sync)) state = 'revoked';
  else if (sync?.phase === 'error') state = 'error';
  else if (sync?.online) state = 'online';
  const label = {
    online: t('chip.online'),
    offline: t('chip.offline'),
    syncing: t('chip.syncing'),
    not_enrolled: t('chip.notEnrolled'),
    revoked: t('chip.revoked'),
    error: t('chip.error'),
    store_error: t('chip.storeError'),
  }[state];
  const locked = station.kioskLocked.value;
  return (
    <button
      type="button"
      class="status-chip"
      data-testid="status-chip"
      data-state={state}
      title={t('chip.title')}
      disabled={locked}
      onClick={() => station.navigate('sync')}
    >
      <span class="dot" aria-hidden="true" />
      <span class="chip-state">{label}</span>
      {s && (
        <span class="chip-pending" data-testid="chip-pending">
          {t('chip.pending', { n: formatNumber(pending, lang.value) })}
        </span>
      )}
    </button>
  );
}


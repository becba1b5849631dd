// The station frame: top bar (screens, status chip, language), the current
// screen, toasts. In kiosk mode only the kiosk is shown and leaving needs the PIN.
import { useEffect, useRef } from 'preact/hooks';
import { lang, t } from '../shared/i18n';
import { formatNumber } from '../shared/format';
import { Toasts } from '../shared/components/toast';
import { ROUTES, useStation, type Route } from './station';
import { LanguageSwitch, StatusChip } from './chrome';
import { RouteIcon } from './icons';
import { Gatekeeper } from './screens/Gatekeeper';
import { Kiosk } from './screens/Kiosk';
import { PaperEntry } from './screens/PaperEntry';
import { Quarantine } from './screens/Quarantine';
import { SyncScreen } from './screens/SyncScreen';
import { SettingsScreen } from './screens/Settings';

const NAV_KEY: Record<Route, 'nav.gate' | 'nav.kiosk' | 'nav.paper' | 'nav.quarantine' | 'nav.sync' | 'nav.settings'> = {
  gate: 'nav.gate',
  kiosk: 'nav.kiosk',
  paper: 'nav.paper',
  quarantine: 'nav.quarantine',
  sync: 'nav.sync',
  settings: 'nav.settings',
};

function Screen({ route }: { route: Route }) {
  switch (route) {
    case 'gate':
      return <Gatekeeper />;
    case 'kiosk':
      return <Kiosk />;
    case 'paper':
      return <PaperEntry />;
    case 'quarantine':
      return <Quarantine />;
    case 'sync':
      return <SyncScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

export function App() {
  const station = useStation();
  const route = station.route.value;
  const locked = station.kioskLocked.value;
  const s = station.status.value;
  const ready = s !== null || station.startError.value !== null;
  const readySent = useRef(false);

  // ui_ready: once, after the first screen painted with real status.
  useEffect(() => {
    if (ready && !readySent.current) {
      readySent.current = true;
      station.env.afterPaint(() => void station.backend.ui_ready().catch(() => undefined));
    }
  }, [ready]);

  useEffect(() => {
    document.documentElement.lang = lang.value;
    document.title = `${t('app.name')} — ${t(NAV_KEY[route])}`;
  });

  return (
    <div class="app" data-route={route} data-kiosk={locked ? 'locked' : 'open'} data-lang={lang.value}>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      {!locked && (
        <header class="topbar no-print">
          <div class="topbar-row">
            <div class="brand">
              <span class="brand-name">{t('app.name')}</span>
              {station.venueName.value && <span class="brand-venue">{station.venueName.value}</span>}
            </div>
            <div class="topbar-right">
              <StatusChip />
              <LanguageSwitch />
            </div>
          </div>
          <nav class="tabs" aria-label={t('nav.label')}>
            {ROUTES.map((r) => (
              <a
                key={r}
                href={`#/${r}`}
                class="tab"
                data-route={r}
                aria-current={route === r ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  station.navigate(r);
                }}
              >
                <RouteIcon route={r} />
                <span class="tab-label">{t(NAV_KEY[r])}</span>
                {r === 'quarantine' && s && s.quarantine_due > 0 && (
                  <span class="badge" data-testid="quarantine-badge">
                    {formatNumber(s.quarantine_due, lang.value)}
                  </span>
                )}
                {r === 'sync' && s && s.queue.rejected > 0 && (
                  <span class="badge badge-red">{formatNumber(s.queue.rejected, lang.value)}</span>
                )}
              </a>
            ))}
          </nav>
        </header>
      )}
      <main id="main" class={`screen screen-${route}`} tabIndex={-1}>
        {ready ? <Screen route={route} /> : <p class="loading">{t('app.loading')}</p>}
      </main>
      <Toasts />
    </div>
  );
}

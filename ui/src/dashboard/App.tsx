// Login page or the reports, by the session's phase.
import { useEffect } from 'preact/hooks';
import { lang, t } from './i18n';
import { useDashboard } from './state';
import { LoginPage } from './pages/Login';
import { Shell } from './pages/Shell';

export function App() {
  const dash = useDashboard();
  const phase = dash.phase.value;
  useEffect(() => {
    document.documentElement.lang = lang.value;
    if (phase !== 'ready') document.title = `${t('login.title')} — ${t('app.name')}`;
  }, [phase, lang.value]);
  if (phase === 'starting')
    return (
      <p class="boot" role="status" data-testid="booting">
        {t('app.loading')}
      </p>
    );
  return phase === 'login' ? <LoginPage /> : <Shell />;
}

// The frame around the pages: who is logged in (login, role, area), the
// pages their role may open (the reports, those on health declarations
// among them, and the weekly report; contact tracing and its log for
// tracers and admins; accounts for admins), language and logout; the
// current page below.
import { useEffect, useRef, useState } from 'preact/hooks';
import { tabTracks } from '../chart';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ErrorBox } from '../components/States';
import { lang, t, type MessageKey } from '../i18n';
import { routeHash } from '../route';
import { useDashboard } from '../state';
import { ADMIN_PAGES, TRACING_PAGES, pagesFor, type PageName } from '../types';
import { Logo } from './Login';
import { QrPointsPage } from './QrPoints';
import { SilentPointsPage } from './SilentPoints';
import { EVsPaperPage } from './EVsPaper';
import { CoveragePage } from './Coverage';
import { ReconciliationPage } from './Reconciliation';
import { RosterPage } from './Roster';
import { WeeklyPage } from './Weekly';
import { TracePage } from './Trace';
import { AuditPage } from './Audit';
import { UsersPage } from './Users';

function Page({ page }: { page: PageName }) {
  switch (page) {
    case 'qr-points':
      return <QrPointsPage />;
    case 'silent-points':
      return <SilentPointsPage />;
    case 'e-vs-paper':
      return <EVsPaperPage />;
    case 'coverage':
      return <CoveragePage />;
    case 'reconciliation':
      return <ReconciliationPage />;
    case 'roster':
      return <RosterPage />;
    case 'weekly':
      return <WeeklyPage />;
    case 'trace':
      return <TracePage />;
    case 'audit':
      return <AuditPage />;
    case 'users':
      return <UsersPage />;
  }
}

const roleKey = (role: string): MessageKey => (['viewer', 'tracer', 'admin'].includes(role) ? (`role.${role}` as MessageKey) : 'role.viewer');

export function Shell() {
  const dash = useDashboard();
  const s = dash.session.value;
  const page = dash.route.value.page;
  const unit = dash.unitCode.value;
  const [leaving, setLeaving] = useState(false);
  const first = useRef(true);

  useEffect(() => {
    document.title = `${t(`nav.${page}`)} — ${t('app.name')}`;
  }, [page, lang.value]);

  // After a move between reports, the heading takes the focus (screen readers hear the new page).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('report-title')?.focus();
  }, [page]);

  if (!s) return null;
  const area = s.user.area;
  const role = roleKey(s.user.role);
  const pages = pagesFor(s.user.role);
  return (
    <div class="app dash" data-lang={lang.value} data-page={page}>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar no-print">
        <div class="topbar-row">
          <div class="brand">
            <Logo />
            <span class="brand-name">{t('app.name')}</span>
          </div>
          <div class="topbar-right">
            <div class="user" data-testid="user" aria-label={t('user.label')} role="group">
              <div class="user-line">
                <span class="user-login" data-testid="user-login">
                  {s.user.login}
                </span>
                <span class="user-role" data-testid="user-role">
                  {t(role)}
                </span>
              </div>
              <div class="user-area" data-testid="user-area" title={t('user.area', { level: t(`level.${area.level}`), name: area.name })}>
                {area.name}
              </div>
            </div>
            <LanguageSwitch />
            <button
              type="button"
              class="btn btn-topbar"
              data-testid="logout"
              disabled={leaving}
              onClick={async () => {
                setLeaving(true);
                try {
                  await dash.logout();
                } finally {
                  setLeaving(false);
                }
              }}
            >
              {leaving ? t('logout.busy') : t('logout')}
            </button>
          </div>
        </div>
        <nav class="tabs" aria-label={t('nav.label')} data-count={pages.length} style={{ '--tab-tracks': tabTracks(pages.map((r) => t(`nav.${r}`))) }}>
          {pages.map((r) => (
            <a
              key={r}
              href={routeHash({ page: r, params: { unit } })}
              class={TRACING_PAGES.includes(r) || ADMIN_PAGES.includes(r) ? 'tab tab-tracing' : 'tab'}
              data-route={r}
              aria-current={page === r ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                dash.navigate(r, { unit });
              }}
            >
              <span class="tab-label">{t(`nav.${r}`)}</span>
            </a>
          ))}
        </nav>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {dash.areasError.value && <ErrorBox error={dash.areasError.value} title={t('err.areas')} onRetry={() => void dash.loadAreas()} />}
        <Page page={page} />
      </main>
    </div>
  );
}

// The audit log of contact tracing (GET /audit), newest first: an admin
// sees every lookup of their area (and every change to an account made
// there), a tracer their own. Each line says who asked, when, by venue or
// by person, what exactly, why, and how many rows came back; a change to an
// account says whose and to what. Viewers have no menu entry; a typed link
// tells them why.
import { useState } from 'preact/hooks';
import { formatNumber } from '../../shared/format';
import { ReportHead } from '../components/Filters';
import { Empty, ErrorBox, Loading } from '../components/States';
import { useCall } from '../hooks';
import { lang, t, type MessageKey } from '../i18n';
import { useDashboard } from '../state';
import { newestFirst, readAuditQuery } from '../tracing';
import { When } from '../components/When';
import { canTrace, type AuditEntry } from '../types';

/** Who the server names for a change made with `checkin-server admin` on the server itself. */
const CONSOLE = '(admin CLI)';

/** Lines asked for first, and at most (the API's limit). */
export const FIRST_LIMIT = 200;
export const MAX_LIMIT = 1000;

export function AuditPage() {
  const dash = useDashboard();
  const user = dash.session.value?.user;
  const allowed = canTrace(user?.role);
  const [limit, setLimit] = useState(FIRST_LIMIT);
  const [state, retry] = useCall(allowed ? String(limit) : null, (signal) => dash.api.audit(limit, signal));
  return (
    <section class="report" aria-labelledby="report-title" data-report="audit">
      <ReportHead title={t('audit.title')} />
      {!allowed ? (
        <div class="notice notice-warn" role="status" data-testid="not-allowed">
          {t('trace.notAllowed')}
        </div>
      ) : (
        <>
          <p class="lead" data-testid="audit-intro">
            {user?.role === 'admin' ? t('audit.introAdmin', { area: user.area.name }) : t('audit.introTracer')}
          </p>
          <p class="small muted">{t('audit.kept')}</p>
          {state.status === 'loading' || state.status === 'idle' ? (
            <Loading text={t('audit.loading')} />
          ) : state.status === 'error' ? (
            <ErrorBox error={state.error} onRetry={retry} context="trace" />
          ) : (
            <AuditTable entries={newestFirst(state.data.entries)} more={state.data.entries.length >= limit && limit < MAX_LIMIT ? () => setLimit(MAX_LIMIT) : null} />
          )}
        </>
      )}
    </section>
  );
}

export function AuditTable({ entries, more }: { entries: AuditEntry[]; more: (() => void) | null }) {
  const dash = useDashboard();
  const l = lang.value;
  if (entries.length === 0) return <Empty testid="audit-empty">{t('audit.empty')}</Empty>;
  return (
    <div class="card table-card" data-testid="report">
      <table class="data-table audit-table" data-testid="audit-table">
        <caption>{t('audit.caption', { n: formatNumber(entries.length, l) })}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              {t('audit.col.id')}
            </th>
            <th scope="col">{t('audit.col.at')}</th>
            <th scope="col">{t('audit.col.login')}</th>
            <th scope="col">{t('audit.col.query')}</th>
            <th scope="col">{t('audit.col.reason')}</th>
            <th scope="col" class="num">
              {t('audit.col.results')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const q = readAuditQuery(e.query);
            const area = dash.unit(e.area_code)?.name ?? e.area_code;
            return (
              <tr key={e.id} data-id={e.id} data-action={e.action}>
                <td class="num" data-col="id">
                  {e.id}
                </td>
                <td data-col="at">
                  <When at={e.at} />
                </td>
                <th scope="row" data-col="login">
                  {e.login === CONSOLE ? t('audit.console') : e.login}
                  <div class="small muted audit-area">{t('audit.area', { area })}</div>
                </th>
                <td data-col="query">
                  <span class="tag tag-grey" data-col="action">
                    {actionName(e.action)}
                  </span>
                  {e.action.startsWith('user_') ? <AccountChange raw={e.query} /> : <AskedFor q={q} raw={e.query} />}
                </td>
                <td class="audit-reason" data-col="reason">
                  {e.reason}
                </td>
                <td class="num" data-col="results">
                  {e.action.startsWith('user_') ? '' : formatNumber(e.results, l)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {more && (
        <div class="more-rows">
          <span />
          <button type="button" class="btn btn-secondary" onClick={more} data-testid="audit-more">
            {t('audit.more')}
          </button>
        </div>
      )}
    </div>
  );
}

const ACTIONS: Record<string, MessageKey> = {
  trace_venue: 'audit.trace_venue',
  trace_person: 'audit.trace_person',
  user_add: 'audit.user_add',
  user_disable: 'audit.user_disable',
  user_enable: 'audit.user_enable',
  user_password: 'audit.user_password',
  user_role: 'audit.user_role',
};

/** An action's name; one the page does not know, as the server wrote it. */
function actionName(action: string): string {
  const key = ACTIONS[action];
  return key ? t(key as 'audit.trace_venue') : action;
}

/** Whose account an admin changed, and to what ({login, role?, area_code?} as JSON text). */
function AccountChange({ raw }: { raw: string }) {
  const dash = useDashboard();
  let q: { login?: unknown; role?: unknown; area_code?: unknown } = {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object') q = v as typeof q;
  } catch {
    // Shown as written below.
  }
  if (typeof q.login !== 'string') return <div class="mono-soft">{raw}</div>;
  const role = typeof q.role === 'string' && ['viewer', 'tracer', 'admin'].includes(q.role) ? t(`role.${q.role as 'viewer'}`) : null;
  const area = typeof q.area_code === 'string' ? (dash.unit(q.area_code)?.name ?? q.area_code) : null;
  return (
    <>
      <div class="mono-soft">{t('audit.userTarget', { login: q.login })}</div>
      {role && <div class="small muted">{t('audit.userRole', { role })}</div>}
      {area && <div class="small muted">{t('audit.userArea', { area })}</div>}
    </>
  );
}

function AskedFor({ q, raw }: { q: ReturnType<typeof readAuditQuery>; raw: string }) {
  const what = q.venueId ? (
    <span class="id-num">{q.venueId}</span>
  ) : q.person ? (
    q.person.kind === 'id' ? (
      t('audit.person.id', { value: q.person.value })
    ) : q.person.kind === 'phone' ? (
      t('audit.person.phone', { value: q.person.value })
    ) : (
      t('audit.person.other', { value: q.person.value })
    )
  ) : (
    raw
  );
  return (
    <>
      <div class="mono-soft">{what}</div>
      {q.from && q.to && (
        <div class="small muted">
          <When at={q.from} /> – <When at={q.to} />
        </div>
      )}
    </>
  );
}

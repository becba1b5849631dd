// roster: per agency (cơ quan, đơn vị) of the unit, how many of its imported
// staff declared their health (anywhere in the province) in a date range,
// the share, and who did not, each agency's names behind a disclosure;
// totals; CSV and XLSX downloads.
import { useEffect, useState } from 'preact/hooks';
import { addDays, formatIsoDate, formatNumber } from '../../shared/format';
import { DateField, DatePair, Downloads, FilterBar, ReportHead, Stat, UnitField } from '../components/Filters';
import { Empty, ErrorBox, Loading, MoreRows, useShown } from '../components/States';
import { isIsoDate, readRange, vietnamToday } from '../dates';
import { formatPercent, formatPercentCell, notDeclaredCount } from '../declarations';
import { useReport } from '../hooks';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { Roster, RosterRow } from '../types';

export function RosterPage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const to = params.to && isIsoDate(params.to) ? params.to : vietnamToday();
  const from = params.from && isIsoDate(params.from) && params.from <= to ? params.from : addDays(to, -6);
  const [draft, setDraft] = useState({ from: formatIsoDate(from), to: formatIsoDate(to) });
  useEffect(() => setDraft({ from: formatIsoDate(from), to: formatIsoDate(to) }), [from, to]);
  const [checked, setChecked] = useState(false);
  const range = readRange(draft.from, draft.to);
  const problems = {
    from: !range.from ? t('err.dateFormat') : range.reversed ? t('err.dateOrder', { from: t('common.from'), to: t('common.to') }) : null,
    to: range.to ? null : t('err.dateFormat'),
  };
  const query = { unit: unitCode, from, to };
  const [state, retry] = useReport('roster', query);
  const apply = (next: { unit?: string; from?: string; to?: string }) =>
    dash.navigate('roster', { unit: next.unit ?? unitCode, from: next.from ?? from, to: next.to ?? to });

  return (
    <section class="report" aria-labelledby="report-title" data-report="roster">
      <ReportHead title={t('roster.title')}>
        {state.status === 'ok' && <Downloads csv={dash.api.reportUrl('roster', query, 'csv')} xlsx={dash.api.reportUrl('roster', query, 'xlsx')} />}
      </ReportHead>
      <FilterBar
        onSubmit={() => {
          setChecked(true);
          if (range.from && range.to && !range.reversed) apply({ from: range.from, to: range.to });
        }}
      >
        <UnitField value={unitCode} onChange={(u) => apply({ unit: u })} />
        <DatePair>
          <DateField id="from" label={t('common.from')} value={draft.from} error={checked ? problems.from : null} onValue={(v) => setDraft((d) => ({ ...d, from: v }))} />
          <DateField id="to" label={t('common.to')} value={draft.to} error={checked ? problems.to : null} onValue={(v) => setDraft((d) => ({ ...d, to: v }))} />
        </DatePair>
        <div class="filters-actions">
          <button type="submit" class="btn" data-testid="show">
            {t('common.show')}
          </button>
        </div>
      </FilterBar>
      {state.status === 'loading' || state.status === 'idle' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <ErrorBox error={state.error} onRetry={retry} />
      ) : (
        <RosterReport r={state.data} />
      )}
    </section>
  );
}

export function RosterReport({ r }: { r: Roster }) {
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [shown, showAll] = useShown(r.rows.length);
  const key = (x: RosterRow) => `${x.commune_code}|${x.agency}`;
  const withNames = r.rows.filter((x) => x.not_declared.length > 0).map(key);
  const allOpen = withNames.length > 0 && withNames.every((k) => open.has(k));
  const toggle = (k: string, on: boolean) =>
    setOpen((s) => {
      const next = new Set(s);
      if (on) next.add(k);
      else next.delete(k);
      return next;
    });
  return (
    <div class="report-body" data-testid="report" data-unit={r.unit.code} data-from={r.from} data-to={r.to}>
      <div class="stats">
        <Stat testid="roster-staff" label={t('roster.staff')} value={n(r.total.staff)} />
        <Stat testid="roster-declared" label={t('roster.declared')} value={n(r.total.declared)} />
        <Stat testid="roster-missing" label={t('roster.missing')} value={n(notDeclaredCount(r.total))} />
        <Stat testid="roster-share" label={t('roster.shareStat')} value={formatPercent(r.total.share, l)} />
      </div>
      <div class="report-notes">
        <p class="small muted" data-testid="roster-note">
          {t('roster.note', { from: formatIsoDate(r.from), to: formatIsoDate(r.to) })}
        </p>
        <p class="small muted">{t('roster.retention')}</p>
      </div>
      {r.rows.length === 0 ? (
        <Empty>{t('roster.empty', { unit: r.unit.name })}</Empty>
      ) : (
        <div class="card table-card">
          {withNames.length > 0 && (
            <div class="table-tools">
              <button
                type="button"
                class="btn btn-secondary"
                data-testid="roster-toggle-all"
                aria-pressed={allOpen}
                onClick={() => setOpen(allOpen ? new Set() : new Set(withNames))}
              >
                {allOpen ? t('roster.collapseAll') : t('roster.expandAll')}
              </button>
            </div>
          )}
          <table class="data-table roster-table" data-testid="roster-table">
            <caption>{t('roster.caption', { unit: r.unit.name, from: formatIsoDate(r.from), to: formatIsoDate(r.to) })}</caption>
            <thead>
              <tr>
                <th scope="col" class="num stt">
                  {t('common.stt')}
                </th>
                <th scope="col" class="col-commune-short">
                  {t('common.communeFull')}
                </th>
                <th scope="col">{t('common.agency')}</th>
                <th scope="col" class="num">
                  {t('roster.staff')}
                </th>
                <th scope="col" class="num">
                  {t('roster.declared')}
                </th>
                <th scope="col" class="num">
                  {t('roster.missing')}
                </th>
                <th scope="col" class="num">
                  {t('roster.share')}
                </th>
                <th scope="col" class="col-names">
                  {t('roster.names')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.rows.slice(0, shown).map((x, i) => {
                const k = key(x);
                const missing = notDeclaredCount(x);
                return (
                  <tr key={k} data-commune={x.commune_code} data-agency={x.agency} class={missing > 0 ? 'row-missing' : undefined}>
                    <td class="num">{i + 1}</td>
                    <td>{x.commune_name || x.commune_code}</td>
                    <th scope="row">{x.agency}</th>
                    <td class="num" data-col="staff">
                      {n(x.staff)}
                    </td>
                    <td class="num" data-col="declared">
                      {n(x.declared)}
                    </td>
                    <td class="num" data-col="missing">
                      {n(missing)}
                    </td>
                    <td class="num" data-col="share">
                      {formatPercentCell(x.share, l)}
                    </td>
                    <td data-col="names">
                      {x.not_declared.length === 0 ? (
                        <span class="muted">{t('roster.allDeclared')}</span>
                      ) : (
                        <details
                          class="names"
                          open={open.has(k)}
                          onToggle={(e) => {
                            const now = (e.currentTarget as HTMLDetailsElement).open;
                            if (now !== open.has(k)) toggle(k, now);
                          }}
                        >
                          <summary data-testid="names-toggle">{t('roster.show', { n: n(x.not_declared.length) })}</summary>
                          <ol class="names-list">
                            {x.not_declared.map((name, j) => (
                              <li key={j}>{name}</li>
                            ))}
                          </ol>
                        </details>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr data-testid="total-row">
                <td />
                <th scope="row" colSpan={2}>
                  {t('common.total')}
                </th>
                <td class="num" data-col="staff">
                  {n(r.total.staff)}
                </td>
                <td class="num" data-col="declared">
                  {n(r.total.declared)}
                </td>
                <td class="num" data-col="missing">
                  {n(notDeclaredCount(r.total))}
                </td>
                <td class="num" data-col="share">
                  {formatPercentCell(r.total.share, l)}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
          <MoreRows shown={shown} total={r.rows.length} onAll={showAll} />
        </div>
      )}
    </div>
  );
}

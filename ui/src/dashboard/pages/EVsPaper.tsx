// e-vs-paper: per venue, the visits (entries) in a date range, electronic
// (qr, kiosk, self) and paper (paper, manual); totals, the unit's share as
// one stacked bar, the busiest venues as stacked bars, the full table.
import { useEffect, useState } from 'preact/hooks';
import { addDays, formatIsoDate, formatNumber } from '../../shared/format';
import { BarChart, ShareBar, type BarRow } from '../components/BarChart';
import { DateField, DatePair, Downloads, FilterBar, ReportHead, Stat, UnitField } from '../components/Filters';
import { Empty, ErrorBox, Loading, MoreRows, useShown } from '../components/States';
import { isIsoDate, readRange, vietnamToday } from '../dates';
import { formatShare } from '../format';
import { useReport } from '../hooks';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { EVsPaper } from '../types';
import { communeNames } from '../units';

/** Venues drawn in the chart (the table lists them all). */
export const CHART_VENUES = 15;

export function EVsPaperPage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const to = params.to && isIsoDate(params.to) ? params.to : vietnamToday();
  const from = params.from && isIsoDate(params.from) ? params.from : addDays(to, -6);
  const [draft, setDraft] = useState({ from: formatIsoDate(from), to: formatIsoDate(to) });
  useEffect(() => setDraft({ from: formatIsoDate(from), to: formatIsoDate(to) }), [from, to]);
  const [checked, setChecked] = useState(false);
  const range = readRange(draft.from, draft.to);
  const problems = {
    from: !range.from ? t('err.dateFormat') : range.reversed ? t('err.dateOrder', { from: t('evp.from'), to: t('evp.to') }) : null,
    to: range.to ? null : t('err.dateFormat'),
  };
  const query = { unit: unitCode, from, to };
  const [state, retry] = useReport('e-vs-paper', query);
  const apply = (next: { unit?: string; from?: string; to?: string }) =>
    dash.navigate('e-vs-paper', { unit: next.unit ?? unitCode, from: next.from ?? from, to: next.to ?? to });

  return (
    <section class="report" aria-labelledby="report-title" data-report="e-vs-paper">
      <ReportHead title={t('evp.title')}>
        {state.status === 'ok' && (
          <Downloads csv={dash.api.reportUrl('e-vs-paper', query, 'csv')} xlsx={dash.api.reportUrl('e-vs-paper', query, 'xlsx')} />
        )}
      </ReportHead>
      <FilterBar
        onSubmit={() => {
          setChecked(true);
          if (range.from && range.to && !range.reversed) apply({ from: range.from, to: range.to });
        }}
      >
        <UnitField value={unitCode} onChange={(u) => apply({ unit: u })} />
        <DatePair>
        <DateField id="from" label={t('evp.from')} value={draft.from} error={checked ? problems.from : null} onValue={(v) => setDraft((d) => ({ ...d, from: v }))} />
        <DateField id="to" label={t('evp.to')} value={draft.to} error={checked ? problems.to : null} onValue={(v) => setDraft((d) => ({ ...d, to: v }))} />
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
        <EVsPaperReport r={state.data} />
      )}
    </section>
  );
}

export function EVsPaperReport({ r }: { r: EVsPaper }) {
  const dash = useDashboard();
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  const communes = communeNames(dash.areas.value?.units);
  const from = formatIsoDate(r.from);
  const to = formatIsoDate(r.to);
  const busiest = [...r.rows]
    .filter((x) => x.total > 0)
    .sort((a, b) => b.total - a.total || a.venue_name.localeCompare(b.venue_name, 'vi'))
    .slice(0, CHART_VENUES);
  const rows: BarRow[] = busiest.map((x) => ({
    key: x.venue_id,
    label: x.venue_name,
    segments: [
      { value: x.electronic, tone: 'electronic' },
      { value: x.paper, tone: 'paper' },
    ],
    valueText: n(x.total),
    describe: `${x.venue_name}: ${n(x.total)} — ${t('evp.electronic')} ${n(x.electronic)}, ${t('evp.paper')} ${n(x.paper)}`,
  }));
  const legend = [
    { tone: 'electronic' as const, label: t('evp.electronic') },
    { tone: 'paper' as const, label: t('evp.paper') },
  ];
  const withVisits = r.rows.filter((x) => x.total > 0).length;
  const [shown, showAll] = useShown(r.rows.length);
  return (
    <div class="report-body" data-testid="report" data-unit={r.unit.code}>
      <div class="stats">
        <Stat testid="evp-total" label={t('evp.total')} value={n(r.total.total)} />
        <Stat testid="evp-electronic" label={t('evp.electronic')} value={n(r.total.electronic)} change={formatShare(r.total.electronic, r.total.total, l)} />
        <Stat testid="evp-paper" label={t('evp.paper')} value={n(r.total.paper)} change={formatShare(r.total.paper, r.total.total, l)} />
      </div>
      <p class="small muted">{t('evp.sources')}</p>
      {r.rows.length === 0 ? (
        <Empty>{t('evp.empty', { unit: r.unit.name })}</Empty>
      ) : (
        <>
          {r.total.total === 0 ? (
            <Empty>{t('evp.noVisits', { from, to })}</Empty>
          ) : (
            <div class="card">
              <ShareBar
                testid="share-chart"
                title={t('evp.shareTitle')}
                parts={[
                  { tone: 'electronic', label: t('evp.electronic'), value: r.total.electronic, share: formatShare(r.total.electronic, r.total.total, l) },
                  { tone: 'paper', label: t('evp.paper'), value: r.total.paper, share: formatShare(r.total.paper, r.total.total, l) },
                ]}
              />
              <BarChart testid="venues-chart" title={t('evp.chartTitle', { n: rows.length, of: withVisits })} rows={rows} tick={n} legend={legend} />
            </div>
          )}
          <div class="card table-card">
            <table class="data-table" data-testid="evp-table">
              <caption>{t('evp.caption', { unit: r.unit.name, from, to })}</caption>
              <thead>
                <tr>
                  <th scope="col" class="num stt">
                    {t('common.stt')}
                  </th>
                  <th scope="col">{t('common.venue')}</th>
                  <th scope="col">{t('common.commune')}</th>
                  <th scope="col" class="num">
                    {t('evp.total')}
                  </th>
                  <th scope="col" class="num">
                    {t('evp.electronic')}
                  </th>
                  <th scope="col" class="num">
                    {t('evp.paper')}
                  </th>
                  <th scope="col" class="num">
                    {t('evp.share')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.rows.slice(0, shown).map((x, i) => (
                  <tr key={x.venue_id} data-venue={x.venue_id}>
                    <td class="num">{i + 1}</td>
                    <th scope="row">{x.venue_name}</th>
                    <td>{communes.get(x.commune_code) ?? x.commune_code}</td>
                    <td class="num" data-col="total">
                      {n(x.total)}
                    </td>
                    <td class="num" data-col="electronic">
                      {n(x.electronic)}
                    </td>
                    <td class="num" data-col="paper">
                      {n(x.paper)}
                    </td>
                    <td class="num">{formatShare(x.electronic, x.total, l)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="total-row">
                  <td />
                  <th scope="row">{t('common.total')}</th>
                  <td />
                  <td class="num">{n(r.total.total)}</td>
                  <td class="num">{n(r.total.electronic)}</td>
                  <td class="num">{n(r.total.paper)}</td>
                  <td class="num">{formatShare(r.total.electronic, r.total.total, l)}</td>
                </tr>
              </tfoot>
            </table>
            <MoreRows shown={shown} total={r.rows.length} onAll={showAll} />
          </div>
        </>
      )}
    </div>
  );
}

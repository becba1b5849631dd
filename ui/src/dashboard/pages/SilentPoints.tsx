// silent-points: for an ISO week (the previous one unless chosen), the QR
// points that reported zero scans and those that sent no data at all, with
// names and communes, and the unit's scans against the week before.
import { formatIsoDate, formatNumber } from '../../shared/format';
import { BarChart } from '../components/BarChart';
import { Downloads, FilterBar, ReportHead, Stat, UnitField } from '../components/Filters';
import { Empty, ErrorBox, Loading, MoreRows, useShown } from '../components/States';
import { addWeeks, isoWeekOf, parseIsoWeek, previousWeek, vietnamToday } from '../dates';
import { WeekField, weekShort } from '../components/WeekField';
import { formatChange } from '../format';
import { useReport } from '../hooks';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { SilentPoint, SilentPoints } from '../types';

export function SilentPointsPage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const today = vietnamToday();
  const current = isoWeekOf(today);
  const week = params.week && parseIsoWeek(params.week) && params.week <= current ? params.week : previousWeek(today);
  const query = { unit: unitCode, week };
  const [state, retry] = useReport('silent-points', query);
  const apply = (next: { unit?: string; week?: string }) =>
    dash.navigate('silent-points', { unit: next.unit ?? unitCode, week: next.week ?? week });

  return (
    <section class="report" aria-labelledby="report-title" data-report="silent-points">
      <ReportHead title={t('silent.title')}>
        {state.status === 'ok' && (
          <Downloads csv={dash.api.reportUrl('silent-points', query, 'csv')} xlsx={dash.api.reportUrl('silent-points', query, 'xlsx')} />
        )}
      </ReportHead>
      <FilterBar>
        <UnitField value={unitCode} onChange={(u) => apply({ unit: u })} />
        <WeekField week={week} current={current} onChange={(w) => apply({ week: w })} />
      </FilterBar>
      {state.status === 'loading' || state.status === 'idle' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <ErrorBox error={state.error} onRetry={retry} />
      ) : (
        <SilentPointsReport r={state.data} />
      )}
    </section>
  );
}

export function SilentPointsReport({ r }: { r: SilentPoints }) {
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  return (
    <div class="report-body" data-testid="report" data-unit={r.unit.code} data-week={r.week}>
      <div class="stats">
        <Stat
          testid="scans-this"
          label={t('silent.scansThis')}
          value={n(r.scans.this_week)}
          change={`${formatChange(r.scans.change, l)} ${t('common.since', { date: weekShort(addWeeks(r.week, -1)) })}`}
        />
        <Stat testid="scans-prev" label={t('silent.scansPrev')} value={n(r.scans.previous_week)} />
        <Stat testid="silent-zero" label={t('silent.zero')} value={n(r.reported_zero.length)} />
        <Stat testid="silent-nodata" label={t('silent.noData')} value={n(r.sent_no_data.length)} />
      </div>
      {r.venues === 0 ? (
        <Empty>{t('silent.empty', { unit: r.unit.name })}</Empty>
      ) : (
        <>
          <p class="lead" data-testid="summary">
            {t('silent.summary', { n: n(r.venues), to: formatIsoDate(r.to) })}{' '}
            {r.reported_zero.length + r.sent_no_data.length === 0 && <strong>{t('silent.allScanned')}</strong>}
          </p>
          <div class="card">
            <BarChart
              testid="weeks-chart"
              title={t('silent.chartTitle')}
              rows={[
                { key: 'this', label: weekShort(r.week), segments: [{ value: r.scans.this_week, tone: 'primary' }], valueText: n(r.scans.this_week) },
                {
                  key: 'prev',
                  label: weekShort(addWeeks(r.week, -1)),
                  segments: [{ value: r.scans.previous_week, tone: 'muted' }],
                  valueText: n(r.scans.previous_week),
                },
              ]}
              tick={n}
            />
          </div>
          <div class="two-cols">
            <PointList testid="reported-zero" title={t('silent.zero')} hint={t('silent.zeroHint')} points={r.reported_zero} tone="amber" />
            <PointList testid="sent-no-data" title={t('silent.noData')} hint={t('silent.noDataHint')} points={r.sent_no_data} tone="red" />
          </div>
        </>
      )}
    </div>
  );
}

function PointList(p: { testid: string; title: string; hint: string; points: SilentPoint[]; tone: 'amber' | 'red' }) {
  const l = lang.value;
  const [shown, showAll] = useShown(p.points.length);
  return (
    <div class={`card point-list tone-${p.tone}`} data-testid={p.testid}>
      <h2>
        {p.title} <span class={`tag tag-${p.tone}`}>{t('silent.count', { n: formatNumber(p.points.length, l) })}</span>
      </h2>
      <p class="small muted">{p.hint}</p>
      {p.points.length === 0 ? (
        <p class="muted" data-testid="list-empty">
          {t('silent.listEmpty')}
        </p>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{p.title}</caption>
          <thead>
            <tr>
              <th scope="col" class="num stt">
                {t('common.stt')}
              </th>
              <th scope="col">{t('common.venue')}</th>
              <th scope="col" class="col-commune">
                {t('common.commune')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.points.slice(0, shown).map((x, i) => (
              <tr key={x.venue_id} data-venue={x.venue_id}>
                <td class="num">{i + 1}</td>
                <th scope="row">
                  {x.venue_name}
                  <div class="small muted mono">{x.venue_id}</div>
                </th>
                <td>{x.commune_name || x.commune_code}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreRows shown={shown} total={p.points.length} onAll={showAll} />
    </div>
  );
}

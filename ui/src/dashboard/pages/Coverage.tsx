// coverage: per commune of a district (or district of a province, or the
// commune alone), the people living there who had declared their health up
// to a date, as a share of the imported population, ranked highest first;
// a bar chart of the shares in rank order, the table, CSV and XLSX downloads.
import { useEffect, useState } from 'preact/hooks';
import { formatIsoDate, formatNumber, parseDateInput } from '../../shared/format';
import { BarChart, type BarRow } from '../components/BarChart';
import { DateField, DatePair, Downloads, FilterBar, ReportHead, Stat, UnitField } from '../components/Filters';
import { Empty, ErrorBox, Loading } from '../components/States';
import { isIsoDate, vietnamToday } from '../dates';
import { formatPercent, formatPercentCell, hasPopulation, rankText } from '../declarations';
import { formatOneDecimal } from '../format';
import { useReport } from '../hooks';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { Coverage } from '../types';
import { levelOf } from '../units';

export function CoveragePage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const level = levelOf(unitCode, dash.unit(unitCode));
  const asOf = params.as_of && isIsoDate(params.as_of) ? params.as_of : vietnamToday();
  const [draft, setDraft] = useState(formatIsoDate(asOf));
  useEffect(() => setDraft(formatIsoDate(asOf)), [asOf]);
  const [checked, setChecked] = useState(false);
  const typed = parseDateInput(draft);
  const query = { unit: unitCode, as_of: asOf };
  const [state, retry] = useReport('coverage', query);
  const apply = (next: { unit?: string; as_of?: string }) =>
    dash.navigate('coverage', { unit: next.unit ?? unitCode, as_of: next.as_of ?? asOf });

  return (
    <section class="report" aria-labelledby="report-title" data-report="coverage">
      <ReportHead title={t('cov.title')}>
        {state.status === 'ok' && (
          <Downloads csv={dash.api.reportUrl('coverage', query, 'csv')} xlsx={dash.api.reportUrl('coverage', query, 'xlsx')} />
        )}
      </ReportHead>
      <FilterBar
        onSubmit={() => {
          setChecked(true);
          if (typed) apply({ as_of: typed });
        }}
      >
        <UnitField value={unitCode} onChange={(u) => apply({ unit: u })} />
        <DatePair single>
          <DateField id="as_of" label={t('qr.asOf')} value={draft} error={checked && !typed ? t('err.dateFormat') : null} onValue={setDraft} />
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
        <CoverageReport r={state.data} byDistrict={level === 'province'} />
      )}
    </section>
  );
}

export function CoverageReport({ r, byDistrict }: { r: Coverage; byDistrict: boolean }) {
  const l = lang.value;
  const n = (x: number | null) => (x == null ? '—' : formatNumber(x, l));
  const unitName = r.unit.name;
  const rows: BarRow[] = r.rows.map((x) => {
    const text = x.share == null ? t('cov.noPopulation') : formatPercent(x.share, l);
    return {
      key: x.code,
      label: x.name,
      segments: [{ value: x.share ?? 0, tone: x.share == null ? 'muted' : 'primary' }],
      valueText: text,
      describe: `${x.rank == null ? '' : `${x.rank}. `}${x.name}: ${text}`,
    };
  });
  const nameCol = byDistrict ? t('common.district') : t('common.communeFull');
  return (
    <div class="report-body" data-testid="report" data-unit={r.unit.code} data-as-of={r.as_of}>
      <div class="stats">
        <Stat testid="cov-population" label={t('cov.population')} value={n(r.total.population)} />
        <Stat testid="cov-declared" label={t('cov.declared')} value={n(r.total.declared)} />
        <Stat testid="cov-share" label={t('cov.shareStat')} value={formatPercent(r.total.share, l)} />
      </div>
      <p class="small muted" data-testid="cov-rule">
        <strong>{t('cov.rule')}</strong> {t('cov.ruleText')}
      </p>
      {r.rows.length === 0 ? (
        <Empty>{t('qr.noChildren', { unit: unitName })}</Empty>
      ) : (
        <>
          {hasPopulation(r) ? (
            <div class="card">
              <BarChart
                testid="cov-chart"
                title={t('cov.chartTitle', { unit: unitName })}
                rows={rows}
                whole={false}
                tick={(v) => `${formatOneDecimal(v, l)}%`}
              />
            </div>
          ) : (
            <Empty testid="cov-no-population">{t('cov.noFigures', { unit: unitName })}</Empty>
          )}
          <div class="card table-card">
            <table class="data-table" data-testid="cov-table">
              <caption>{t('cov.caption', { unit: unitName, asOf: formatIsoDate(r.as_of) })}</caption>
              <thead>
                <tr>
                  <th scope="col" class="num stt">
                    {t('common.stt')}
                  </th>
                  <th scope="col">{nameCol}</th>
                  <th scope="col" class="num">
                    {t('cov.population')}
                  </th>
                  <th scope="col" class="num">
                    {t('cov.declared')}
                  </th>
                  <th scope="col" class="num">
                    {t('cov.share')}
                  </th>
                  <th scope="col" class="num">
                    {t('cov.rank')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((x, i) => (
                  <tr key={x.code} data-code={x.code} data-rank={x.rank ?? ''} class={x.population == null ? 'row-muted' : undefined}>
                    <td class="num">{i + 1}</td>
                    <th scope="row">{x.name}</th>
                    <td class="num" data-col="population">
                      {x.population == null ? <span class="muted">{t('cov.noPopulation')}</span> : n(x.population)}
                    </td>
                    <td class="num" data-col="declared">
                      {n(x.declared)}
                    </td>
                    <td class="num" data-col="share">
                      {formatPercentCell(x.share, l)}
                    </td>
                    <td class="num" data-col="rank">
                      {rankText(x.rank)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="total-row">
                  <td />
                  <th scope="row">{t('common.total')}</th>
                  <td class="num" data-col="population">
                    {n(r.total.population)}
                  </td>
                  <td class="num" data-col="declared">
                    {n(r.total.declared)}
                  </td>
                  <td class="num" data-col="share">
                    {formatPercentCell(r.total.share, l)}
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

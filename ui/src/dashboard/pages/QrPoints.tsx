// qr-points: per commune of a district (or district of a province), the QR
// points registered and the scans up to a date, the change since another
// date, the units that lag marked; leaders and laggards named as the
// provincial documents name them; a bar chart; CSV and XLSX downloads.
import { useEffect, useState } from 'preact/hooks';
import { formatIsoDate, formatNumber, addDays } from '../../shared/format';
import { BarChart, type BarRow } from '../components/BarChart';
import { DateField, DatePair, Downloads, FilterBar, ReportHead, Stat, UnitField } from '../components/Filters';
import { Empty, ErrorBox, Loading } from '../components/States';
import { isIsoDate, readRange, vietnamToday } from '../dates';
import { formatChange, formatOneDecimal, perPoint } from '../format';
import { useReport } from '../hooks';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { QrPoints } from '../types';
import { levelOf } from '../units';

/** The rule the server states (reports/qr_points.rs LOW_RULE), shown in the page's language. */
export const KNOWN_LOW_RULE =
  'low: no QR point, or scans per QR point among the lowest quarter of the units with QR points (the ceil(n/4) lowest, ties included)';

export function QrPointsPage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const unit = dash.unit(unitCode);
  const level = levelOf(unitCode, unit);
  const asOf = params.as_of && isIsoDate(params.as_of) ? params.as_of : vietnamToday();
  const compare = params.compare && isIsoDate(params.compare) ? params.compare : addDays(asOf, -7);
  const [draft, setDraft] = useState({ as_of: formatIsoDate(asOf), compare: formatIsoDate(compare) });
  useEffect(() => setDraft({ as_of: formatIsoDate(asOf), compare: formatIsoDate(compare) }), [asOf, compare]);
  const [checked, setChecked] = useState(false);
  const range = readRange(draft.compare, draft.as_of);
  const problems = {
    as_of: range.to ? null : t('err.dateFormat'),
    compare: !range.from ? t('err.dateFormat') : range.reversed ? t('err.dateOrder', { from: t('qr.compare'), to: t('qr.asOf') }) : null,
  };

  const query = level === 'commune' ? null : { unit: unitCode, as_of: asOf, compare };
  const [state, retry] = useReport('qr-points', query);

  const apply = (next: { unit?: string; as_of?: string; compare?: string }) => {
    dash.navigate('qr-points', { unit: next.unit ?? unitCode, as_of: next.as_of ?? asOf, compare: next.compare ?? compare });
  };

  return (
    <section class="report" aria-labelledby="report-title" data-report="qr-points">
      <ReportHead title={t('qr.title')}>
        {query && state.status === 'ok' && (
          <Downloads csv={dash.api.reportUrl('qr-points', query, 'csv')} xlsx={dash.api.reportUrl('qr-points', query, 'xlsx')} />
        )}
      </ReportHead>
      <FilterBar
        onSubmit={() => {
          setChecked(true);
          if (range.from && range.to && !range.reversed) apply({ as_of: range.to, compare: range.from });
        }}
      >
        <UnitField value={unitCode} onChange={(u) => apply({ unit: u })} />
        <DatePair>
        <DateField
          id="as_of"
          label={t('qr.asOf')}
          value={draft.as_of}
          error={checked ? problems.as_of : null}
          onValue={(v) => setDraft((d) => ({ ...d, as_of: v }))}
        />
        <DateField
          id="compare"
          label={t('qr.compare')}
          value={draft.compare}
          error={checked ? problems.compare : null}
          onValue={(v) => setDraft((d) => ({ ...d, compare: v }))}
        />
        </DatePair>
        <div class="filters-actions">
          <button type="submit" class="btn" data-testid="show">
            {t('common.show')}
          </button>
        </div>
      </FilterBar>
      {level === 'commune' ? (
        <CommuneNotice parent={unit?.parent ?? null} onOpen={(code) => apply({ unit: code })} />
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <ErrorBox error={state.error} onRetry={retry} />
      ) : (
        <QrPointsReport r={state.data} byDistrict={level === 'province'} />
      )}
    </section>
  );
}

function CommuneNotice({ parent, onOpen }: { parent: string | null; onOpen: (code: string) => void }) {
  const dash = useDashboard();
  const p = parent ? dash.unit(parent) : undefined;
  return (
    <Empty testid="commune-notice">
      <p>{t('qr.commune')}</p>
      {p ? (
        <button type="button" class="btn btn-secondary" onClick={() => onOpen(p.code)} data-testid="open-parent">
          {t('qr.openParent', { name: p.name })}
        </button>
      ) : (
        <p class="muted">{t('qr.otherReports')}</p>
      )}
    </Empty>
  );
}

export function QrPointsReport({ r, byDistrict }: { r: QrPoints; byDistrict: boolean }) {
  const l = lang.value;
  const [metric, setMetric] = useState<'scans' | 'perPoint'>('scans');
  const n = (x: number) => formatNumber(x, l);
  const rate = (scans: number, venues: number) => {
    const v = perPoint(scans, venues);
    return v === null ? '—' : formatOneDecimal(v, l);
  };
  const unitName = r.unit.name;
  const rows: BarRow[] = r.rows.map((x) => {
    const value = metric === 'scans' ? x.scans : (perPoint(x.scans, x.venues) ?? 0);
    const text = metric === 'scans' ? n(x.scans) : rate(x.scans, x.venues);
    return {
      key: x.code,
      label: x.name,
      segments: [{ value, tone: x.low ? 'low' : 'primary' }],
      marked: x.low,
      valueText: text,
      describe: `${x.name}: ${text}${x.low ? ` (${t('qr.low')})` : ''}`,
    };
  });
  const since = t('common.since', { date: formatIsoDate(r.compare) });
  const nameCol = byDistrict ? t('common.district') : t('common.commune');
  return (
    <div class="report-body" data-testid="report" data-unit={r.unit.code}>
      <div class="stats">
        <Stat testid="total-venues" label={t('qr.venues')} value={n(r.total.venues)} change={`${formatChange(r.total.venues_change, l)} ${since}`} />
        <Stat testid="total-scans" label={t('qr.scans')} value={n(r.total.scans)} change={`${formatChange(r.total.scans_change, l)} ${since}`} />
        <Stat testid="total-rate" label={t('qr.perPoint')} value={rate(r.total.scans, r.total.venues)} />
      </div>
      {r.rows.length === 0 ? (
        <Empty>{t('qr.noChildren', { unit: unitName })}</Empty>
      ) : (
        <>
          {r.total.venues === 0 && <Empty>{t('qr.empty', { unit: unitName })}</Empty>}
          {r.total.venues > 0 && (
          <div class="card findings" data-testid="findings">
            <p data-testid="leaders">
              <strong>{t('qr.leaders')}</strong> {r.leaders.length ? r.leaders.join(', ') : t('common.none')}.
            </p>
            <p data-testid="laggards">
              <strong>{t('qr.laggards')}</strong> {r.laggards.length ? r.laggards.join(', ') : t('common.none')}.
            </p>
            <p class="small muted" data-testid="low-rule">
              <strong>{t('qr.rule')}</strong> {r.low_rule === KNOWN_LOW_RULE ? t('qr.ruleText') : r.low_rule}
            </p>
          </div>
          )}
          {r.total.venues > 0 && (
            <div class="card">
              <fieldset class="segmented" data-testid="chart-metric">
                <legend>{t('qr.chart')}</legend>
                {(['scans', 'perPoint'] as const).map((m) => (
                  <label key={m} class="segment">
                    <input type="radio" name="metric" value={m} checked={metric === m} onChange={() => setMetric(m)} />
                    <span>{m === 'scans' ? t('qr.chartScans') : t('qr.chartPerPoint')}</span>
                  </label>
                ))}
              </fieldset>
              <BarChart
                testid="qr-chart"
                title={metric === 'scans' ? t('qr.chartTitle.scans', { unit: unitName }) : t('qr.chartTitle.perPoint', { unit: unitName })}
                rows={rows}
                whole={metric === 'scans'}
                tick={(v) => (metric === 'scans' ? n(v) : formatOneDecimal(v, l))}
                legend={[
                  { tone: 'primary', label: t('qr.legendOk') },
                  { tone: 'low', label: t('qr.legendLow') },
                ]}
              />
            </div>
          )}
          <div class="card table-card">
            <table class="data-table" data-testid="qr-table">
              <caption>
                {t('qr.caption', { unit: unitName, asOf: formatIsoDate(r.as_of), compare: formatIsoDate(r.compare) })}
              </caption>
              <thead>
                <tr>
                  <th scope="col" class="num stt">
                    {t('common.stt')}
                  </th>
                  <th scope="col">{nameCol}</th>
                  <th scope="col" class="num">
                    {t('qr.venues')}
                  </th>
                  <th scope="col" class="num">
                    {t('qr.scans')}
                  </th>
                  <th scope="col" class="num">
                    {t('qr.venuesChange')}
                  </th>
                  <th scope="col" class="num">
                    {t('qr.scansChange')}
                  </th>
                  <th scope="col" class="num">
                    {t('qr.perPoint')}
                  </th>
                  <th scope="col">{t('qr.status')}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((x, i) => (
                  <tr key={x.code} class={x.low ? 'row-low' : undefined} data-code={x.code} data-low={x.low ? 'true' : 'false'}>
                    <td class="num">{i + 1}</td>
                    <th scope="row">{x.name}</th>
                    <td class="num" data-col="venues">
                      {n(x.venues)}
                    </td>
                    <td class="num" data-col="scans">
                      {n(x.scans)}
                    </td>
                    <td class="num" data-col="venues_change">
                      {formatChange(x.venues_change, l)}
                    </td>
                    <td class="num" data-col="scans_change">
                      {formatChange(x.scans_change, l)}
                    </td>
                    <td class="num">{rate(x.scans, x.venues)}</td>
                    <td>{x.low ? <span class="tag tag-red">{t('qr.low')}</span> : null}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="total-row">
                  <td />
                  <th scope="row">{t('common.total')}</th>
                  <td class="num">{n(r.total.venues)}</td>
                  <td class="num">{n(r.total.scans)}</td>
                  <td class="num">{formatChange(r.total.venues_change, l)}</td>
                  <td class="num">{formatChange(r.total.scans_change, l)}</td>
                  <td class="num">{rate(r.total.scans, r.total.venues)}</td>
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

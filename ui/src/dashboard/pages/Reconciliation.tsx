// reconciliation: each commune's and agency's latest reported figure (people
// who had declared, as of its date) up to a date, against what the system
// knew by then; the difference split into what the system explains (the
// same person counted by other units, paper typed in later, devices synced
// later, declarations dated after the period) and what it cannot, the rows
// with an unexplained part drawn out; a legend of the columns; downloads.
import { useEffect, useState } from 'preact/hooks';
import { formatIsoDate, formatNumber, parseDateInput } from '../../shared/format';
import { DateField, DatePair, Downloads, FilterBar, ReportHead, Stat, UnitField } from '../components/Filters';
import { Empty, ErrorBox, Loading } from '../components/States';
import { isIsoDate, vietnamToday } from '../dates';
import { EXPLAINED_PARTS, flagged, needsCheck } from '../declarations';
import { formatChange } from '../format';
import { useReport } from '../hooks';
import { lang, t, type MessageKey } from '../i18n';
import { useDashboard } from '../state';
import type { Reconciliation, ReconciliationRow } from '../types';

export function ReconciliationPage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const asOf = params.as_of && isIsoDate(params.as_of) ? params.as_of : vietnamToday();
  const [draft, setDraft] = useState(formatIsoDate(asOf));
  useEffect(() => setDraft(formatIsoDate(asOf)), [asOf]);
  const [checked, setChecked] = useState(false);
  const typed = parseDateInput(draft);
  const query = { unit: unitCode, as_of: asOf };
  const [state, retry] = useReport('reconciliation', query);
  const apply = (next: { unit?: string; as_of?: string }) =>
    dash.navigate('reconciliation', { unit: next.unit ?? unitCode, as_of: next.as_of ?? asOf });

  return (
    <section class="report" aria-labelledby="report-title" data-report="reconciliation">
      <ReportHead title={t('recon.title')}>
        {state.status === 'ok' && (
          <Downloads csv={dash.api.reportUrl('reconciliation', query, 'csv')} xlsx={dash.api.reportUrl('reconciliation', query, 'xlsx')} />
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
      <p class="report-intro">{t('recon.intro')}</p>
      {state.status === 'loading' || state.status === 'idle' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <ErrorBox error={state.error} onRetry={retry} />
      ) : (
        <ReconciliationReport r={state.data} />
      )}
    </section>
  );
}

const partKey = (k: (typeof EXPLAINED_PARTS)[number]): MessageKey => `recon.${k}`;

export function ReconciliationReport({ r }: { r: Reconciliation }) {
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  const asOf = formatIsoDate(r.as_of);
  const toCheck = flagged(r.rows);
  const cells = (x: ReconciliationRow) => (
    <>
      <td class="num" data-col="reported">
        {n(x.reported)}
      </td>
      <td class="num" data-col="system">
        {n(x.system)}
      </td>
      <td class="num" data-col="difference">
        {formatChange(x.difference, l)}
      </td>
      {EXPLAINED_PARTS.map((k) => (
        <td key={k} class="num part" data-col={k}>
          {n(x[k])}
        </td>
      ))}
      <td class="num unexplained" data-col="unexplained">
        {formatChange(x.unexplained, l)}
      </td>
    </>
  );
  return (
    <div class="report-body" data-testid="report" data-unit={r.unit.code} data-as-of={r.as_of}>
      {r.rows.length === 0 ? (
        <Empty>{t('recon.empty', { unit: r.unit.name, asOf })}</Empty>
      ) : (
        <>
          <div class="stats">
            <Stat testid="recon-reported" label={t('recon.reported')} value={n(r.total.reported)} />
            <Stat testid="recon-system" label={t('recon.system')} value={n(r.total.system)} />
            <Stat testid="recon-difference" label={t('recon.difference')} value={formatChange(r.total.difference, l)} />
            <Stat testid="recon-unexplained" label={t('recon.unexplained')} value={formatChange(r.total.unexplained, l)} />
          </div>
          {toCheck.length > 0 ? (
            <p class="notice notice-warn" role="status" data-testid="recon-flagged">
              {t('recon.flagged', { n: n(toCheck.length) })}
            </p>
          ) : (
            <p class="notice notice-ok" role="status" data-testid="recon-flagged">
              {t('recon.allExplained')}
            </p>
          )}
          <div class="card table-card">
            <table class="data-table recon-table" data-testid="recon-table">
              <caption>{t('recon.caption', { unit: r.unit.name, asOf })}</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2} class="num stt">
                    {t('common.stt')}
                  </th>
                  <th scope="col" rowSpan={2}>
                    {t('recon.unitCol')}
                  </th>
                  <th scope="col" rowSpan={2} class="col-date">
                    {t('recon.date')}
                  </th>
                  <th scope="col" rowSpan={2} class="num">
                    {t('recon.reported')}
                  </th>
                  <th scope="col" rowSpan={2} class="num">
                    {t('recon.system')}
                  </th>
                  <th scope="col" rowSpan={2} class="num">
                    {t('recon.difference')}
                  </th>
                  <th scope="colgroup" colSpan={EXPLAINED_PARTS.length} class="group">
                    {t('recon.explained')}
                  </th>
                  <th scope="col" rowSpan={2} class="num unexplained">
                    {t('recon.unexplained')}
                  </th>
                </tr>
                <tr>
                  {EXPLAINED_PARTS.map((k) => (
                    <th key={k} scope="col" class="num part">
                      {t(partKey(k))}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.rows.map((x, i) => {
                  const check = needsCheck(x);
                  return (
                    <tr
                      key={`${x.commune_code}|${x.agency}`}
                      class={check ? 'row-check' : undefined}
                      data-commune={x.commune_code}
                      data-agency={x.agency}
                      data-check={check ? 'true' : 'false'}
                    >
                      <td class="num">{i + 1}</td>
                      <th scope="row">
                        {x.agency ? (
                          <>
                            <span class="row-name">{x.agency}</span>
                            <span class="row-sub">{x.commune_name || x.commune_code}</span>
                          </>
                        ) : (
                          <>
                            <span class="row-name">{x.commune_name || x.commune_code}</span>
                            <span class="row-sub">{t('recon.own')}</span>
                          </>
                        )}
                        <span class="row-sub row-date">
                          {t('recon.date')}: {formatIsoDate(x.date)}
                        </span>
                        {check && <span class="tag tag-amber row-tag">{t('recon.check')}</span>}
                      </th>
                      <td class="nowrap col-date" data-col="date">
                        {formatIsoDate(x.date)}
                      </td>
                      {cells(x)}
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr data-testid="total-row" class={needsCheck(r.total) ? 'row-check' : undefined}>
                  <td />
                  <th scope="row">{t('common.total')}</th>
                  <td class="col-date" />
                  {cells(r.total)}
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
      <Legend />
    </div>
  );
}

/** The columns in plain words (reports/reconciliation.rs says the same for the code). */
function Legend() {
  const items: [MessageKey, MessageKey][] = [
    ['recon.reported', 'recon.legend.reported'],
    ['recon.system', 'recon.legend.system'],
    ['recon.difference', 'recon.legend.difference'],
    ...EXPLAINED_PARTS.map((k): [MessageKey, MessageKey] => [partKey(k), `recon.legend.${k}`]),
    ['recon.unexplained', 'recon.legend.unexplained'],
  ];
  return (
    <section class="card legend-card" aria-labelledby="recon-legend" data-testid="recon-legend">
      <h2 id="recon-legend">{t('recon.legend')}</h2>
      <dl class="terms">
        {items.map(([term, text]) => (
          <div key={term} class="term" data-term={term.slice('recon.'.length)}>
            <dt>{t(term)}</dt>
            <dd>{t(text)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

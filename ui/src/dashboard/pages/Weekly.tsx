// The weekly report (Báo cáo tuần): for a unit and an ISO week, a printable
// document in the form of a Vietnamese official report — issuing unit and
// number, Quốc hiệu and tiêu ngữ, place and date, title — put together from
// the three report APIs for the week and the week before (weekly.ts says
// which calls), with the comparisons between the two weeks. "In báo cáo"
// prints it on A4 (the print stylesheet hides everything else); CSV and
// XLSX come from the server's own weekly report (GET /reports/weekly), the
// same figures in sections.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { formatIsoDate, formatNumber } from '../../shared/format';
import { Downloads, FilterBar, ReportHead, UnitField } from '../components/Filters';
import { ErrorBox, Loading } from '../components/States';
import { WeekField } from '../components/WeekField';
import { isoWeekOf, parseIsoWeek, previousWeek, vietnamToday } from '../dates';
import { formatChange, formatShare, formatSignedOneDecimal } from '../format';
import { useReport, type Loaded } from '../hooks';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { EVsPaper, QrPoints, SilentPoint, SilentPoints, Unit } from '../types';
import { formatVietnamDateTime } from '../tracing';
import { levelOf } from '../units';
import {
  agencyName,
  documentDate,
  electronicShare,
  placeName,
  visitsByUnit,
  weekPlan,
  weeklyQueries,
  weeklyUnitRows,
  weekUnfinished,
  type Visits,
} from '../weekly';

export function WeeklyPage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const unitCode = dash.unitCode.value;
  const level = levelOf(unitCode, dash.unit(unitCode));
  const today = vietnamToday();
  const current = isoWeekOf(today);
  const week = params.week && parseIsoWeek(params.week) && params.week <= current ? params.week : previousWeek(today);
  const q = weeklyQueries(unitCode, week, level);
  const [qr, retryQr] = useReport('qr-points', q.qr);
  const [qrPrev, retryQrPrev] = useReport('qr-points', q.qrPrevious);
  const [silent, retrySilent] = useReport('silent-points', q.silent);
  const [silentPrev, retrySilentPrev] = useReport('silent-points', q.silentPrevious);
  const [evp, retryEvp] = useReport('e-vs-paper', q.evp);
  const [evpPrev, retryEvpPrev] = useReport('e-vs-paper', q.evpPrevious);
  const all: Loaded<unknown>[] = [qr, qrPrev, silent, silentPrev, evp, evpPrev];
  const failed = all.find((s) => s.status === 'error');
  const loading = all.some((s) => s.status === 'loading');
  const retry = () => {
    const retries = [retryQr, retryQrPrev, retrySilent, retrySilentPrev, retryEvp, retryEvpPrev];
    all.forEach((s, i) => s.status === 'error' && retries[i]());
  };
  const apply = (next: { unit?: string; week?: string }) => dash.navigate('weekly', { unit: next.unit ?? unitCode, week: next.week ?? week });

  return (
    <section class="report" aria-labelledby="report-title" data-report="weekly">
      <ReportHead title={t('weekly.title')}>
        <WeeklyActions unit={unitCode} week={week} printable={!loading && !failed} />
      </ReportHead>
      <FilterBar>
        <UnitField value={unitCode} onChange={(u) => apply({ unit: u })} />
        <WeekField week={week} current={current} onChange={(w) => apply({ week: w })} />
      </FilterBar>
      <p class="small muted no-print">{t('weekly.printHint')}</p>
      {weekUnfinished(week, today) && (
        <div class="notice notice-warn no-print" role="status" data-testid="unfinished">
          {t('weekly.unfinished', { today: formatIsoDate(today) })}
        </div>
      )}
      {failed && failed.status === 'error' ? (
        <ErrorBox error={failed.error} onRetry={retry} />
      ) : loading || silent.status !== 'ok' || silentPrev.status !== 'ok' || evp.status !== 'ok' || evpPrev.status !== 'ok' ? (
        <Loading text={t('weekly.loading')} />
      ) : (
        <WeeklyDocument
          week={week}
          today={today}
          unit={dash.unit(unitCode) ?? { code: unitCode, name: silent.data.unit.name, level, parent: null }}
          units={dash.areas.value?.units ?? []}
          qr={qr.status === 'ok' ? qr.data : null}
          qrPrevious={qrPrev.status === 'ok' ? qrPrev.data : null}
          silent={silent.data}
          silentPrevious={silentPrev.data}
          evp={evp.data}
          evpPrevious={evpPrev.data}
        />
      )}
    </section>
  );
}

/** "In báo cáo" (once the document is drawn) and the server's CSV and XLSX of the same unit and week. */
export function WeeklyActions({ unit, week, printable }: { unit: string; week: string; printable: boolean }) {
  const dash = useDashboard();
  const q = { unit, week };
  return (
    <Downloads csv={dash.api.reportUrl('weekly', q, 'csv')} xlsx={dash.api.reportUrl('weekly', q, 'xlsx')} extraClass="no-print">
      <button type="button" class="btn" data-testid="print" disabled={!printable} onClick={() => window.print()}>
        <PrintIcon /> {t('weekly.print')}
      </button>
    </Downloads>
  );
}

export interface WeeklyData {
  week: string;
  /** The document's date (Vietnam). */
  today: string;
  unit: Unit;
  /** Every unit of the user's area (to sum venues per commune or district). */
  units: readonly Unit[];
  /** Null for a commune. */
  qr: QrPoints | null;
  qrPrevious: QrPoints | null;
  silent: SilentPoints;
  silentPrevious: SilentPoints;
  evp: EVsPaper;
  evpPrevious: EVsPaper;
}

/** The report itself, as it is printed. */
export function WeeklyDocument(d: WeeklyData) {
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  const plan = weekPlan(d.week);
  const w = parseIsoWeek(d.week)!;
  const wp = parseIsoWeek(plan.previous)!;
  const madeAt = useMemo(() => formatVietnamDateTime(new Date().toISOString()), [d.silent, d.evp]);
  const unitName = d.silent.unit.name || d.unit.name;
  const silentNow = d.silent.reported_zero.length + d.silent.sent_no_data.length;
  const silentBefore = d.silentPrevious.reported_zero.length + d.silentPrevious.sent_no_data.length;
  const shareNow = electronicShare(d.evp.total);
  const shareBefore = electronicShare(d.evpPrevious.total);
  const weekCol = t('doc.col.week', { week: w.week });
  const prevCol = t('doc.col.week', { week: wp.week });
  const trend = (now: number, before: number) => {
    const diff = now - before;
    if (diff > 0) return t('doc.trend.up', { n: n(diff), prev: n(before) });
    if (diff < 0) return t('doc.trend.down', { n: n(-diff), prev: n(before) });
    return t('doc.trend.same', { prev: n(before) });
  };

  return (
    <article class="paper" data-testid="weekly-doc" data-unit={d.silent.unit.code} data-week={d.week} aria-labelledby="doc-title">
      <header class="doc-header">
        <div class="doc-agency">
          <div class="doc-agency-name" data-testid="doc-agency">
            {agencyName(unitName)}
          </div>
          <div class="doc-rule" aria-hidden="true" />
          <div class="doc-number">{t('doc.number')}</div>
        </div>
        <div class="doc-nation">
          <div class="doc-nation-name" data-testid="doc-nation">
            {t('doc.nation')}
          </div>
          <div class="doc-motto" data-testid="doc-motto">
            {t('doc.motto')}
          </div>
          <div class="doc-rule doc-rule-wide" aria-hidden="true" />
          <div class="doc-place-date" data-testid="doc-place-date">
            {t('doc.placeDate', { place: placeName(unitName), date: documentDate(d.today, l) })}
          </div>
        </div>
      </header>

      <h2 class="doc-title" id="doc-title" data-testid="doc-title">
        {t('doc.kind')}
        <span class="doc-subject">{t('doc.subject', { week: w.week, year: w.year })}</span>
      </h2>
      <p class="doc-period">{t('doc.period', { from: formatIsoDate(plan.monday), to: formatIsoDate(plan.sunday) })}</p>
      {weekUnfinished(d.week, d.today) && (
        <p class="doc-up-to" data-testid="doc-up-to">
          {t('doc.upTo', { date: formatIsoDate(d.today) })}
        </p>
      )}

      <section class="doc-section">
        <h3>{t('doc.s1')}</h3>
        <table class="doc-table" data-testid="weekly-overview">
          <thead>
            <tr>
              <th scope="col" class="stt">
                {t('common.stt')}
              </th>
              <th scope="col">{t('doc.col.item')}</th>
              <th scope="col" class="num">
                {weekCol}
              </th>
              <th scope="col" class="num">
                {prevCol}
              </th>
              <th scope="col" class="num">
                {t('doc.col.change')}
              </th>
            </tr>
          </thead>
          <tbody>
            <Line no="1" id="venues" label={t('doc.row.venues')} now={d.silent.venues} before={d.silentPrevious.venues} />
            <Line no="2" id="scans" label={t('doc.row.scans')} now={d.silent.scans.this_week} before={d.silent.scans.previous_week} />
            {d.qr && d.qrPrevious && <Line no="3" id="cumulative" label={t('doc.row.cumulative')} now={d.qr.total.scans} before={d.qrPrevious.total.scans} />}
            <Line no={d.qr ? '4' : '3'} id="visits" label={t('doc.row.visits')} now={d.evp.total.total} before={d.evpPrevious.total.total} />
            <Line id="electronic" sub label={t('doc.row.electronic')} now={d.evp.total.electronic} before={d.evpPrevious.total.electronic} />
            <Line id="paper" sub label={t('doc.row.paper')} now={d.evp.total.paper} before={d.evpPrevious.total.paper} />
            <tr data-row="share">
              <td />
              <th scope="row" class="sub">
                {t('doc.row.share')}
              </th>
              <td class="num" data-col="this">
                {formatShare(d.evp.total.electronic, d.evp.total.total, l)}
              </td>
              <td class="num" data-col="prev">
                {formatShare(d.evpPrevious.total.electronic, d.evpPrevious.total.total, l)}
              </td>
              <td class="num" data-col="change">
                {shareNow !== null && shareBefore !== null ? t('doc.points', { n: formatSignedOneDecimal(shareNow - shareBefore, l) }) : '—'}
              </td>
            </tr>
            <Line no={d.qr ? '5' : '4'} id="silent" label={t('doc.row.silent')} now={silentNow} before={silentBefore} />
            <Line id="zero" sub label={t('doc.row.zero')} now={d.silent.reported_zero.length} before={d.silentPrevious.reported_zero.length} />
            <Line id="no-data" sub label={t('doc.row.noData')} now={d.silent.sent_no_data.length} before={d.silentPrevious.sent_no_data.length} />
          </tbody>
        </table>
      </section>

      <section class="doc-section">
        {d.qr ? (
          <>
            <h3>{t('doc.s2.units')}</h3>
            <UnitsTable d={d} qr={d.qr} weekCol={weekCol} prevCol={prevCol} />
          </>
        ) : (
          <>
            <h3>{t('doc.s2.venues')}</h3>
            <VenuesTable d={d} prevCol={prevCol} />
          </>
        )}
      </section>

      <section class="doc-section">
        <h3>{t('doc.s3')}</h3>
        <PointTable testid="doc-zero" title={t('doc.zeroTitle', { n: n(d.silent.reported_zero.length) })} points={d.silent.reported_zero} />
        <PointTable testid="doc-no-data" title={t('doc.noDataTitle', { n: n(d.silent.sent_no_data.length) })} points={d.silent.sent_no_data} />
      </section>

      <section class="doc-section" data-testid="doc-notes">
        <h3>{t('doc.s4')}</h3>
        <ul class="doc-notes">
          <li>{t('doc.note.scans', { n: n(d.silent.scans.this_week), trend: trend(d.silent.scans.this_week, d.silent.scans.previous_week) })}</li>
          <li>
            {shareNow === null
              ? t('doc.note.noVisits')
              : t('doc.note.share', {
                  share: formatShare(d.evp.total.electronic, d.evp.total.total, l),
                  prev: formatShare(d.evpPrevious.total.electronic, d.evpPrevious.total.total, l),
                })}
          </li>
          <li>
            {silentNow === 0
              ? t('doc.note.allScanned')
              : t('doc.note.silent', { n: n(silentNow), zero: n(d.silent.reported_zero.length), noData: n(d.silent.sent_no_data.length) })}
          </li>
          {d.qr && d.qr.total.venues > 0 && (
            <>
              <li data-testid="doc-leaders">
                {t('qr.leaders')} {d.qr.leaders.length ? d.qr.leaders.join(', ') : t('common.none')}.
              </li>
              <li data-testid="doc-laggards">
                {t('qr.laggards')} {d.qr.laggards.length ? d.qr.laggards.join(', ') : t('common.none')}.
              </li>
            </>
          )}
        </ul>
        <p class="doc-proposals">{t('doc.proposals')}</p>
        <div class="doc-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
      </section>

      <footer class="doc-sign">
        <div class="doc-recipients">
          <div class="doc-recipients-title">{t('doc.recipients')}</div>
          <div>{t('doc.recipientBlank')}</div>
          <div>{t('doc.archive')}</div>
        </div>
        <div class="doc-signer">
          <div class="doc-signer-title">{t('doc.signer')}</div>
          <div class="doc-sign-note">{t('doc.sign')}</div>
        </div>
      </footer>
      <p class="doc-source">{t('doc.source', { at: madeAt })}</p>
    </article>
  );
}

/** A line of the overview: this week, the week before, the change. */
function Line(p: { no?: string; id: string; label: string; now: number; before: number; sub?: boolean }) {
  const l = lang.value;
  return (
    <tr data-row={p.id} class={p.sub ? 'sub' : undefined}>
      <td class="stt">{p.no ?? ''}</td>
      <th scope="row" class={p.sub ? 'sub' : undefined}>
        {p.label}
      </th>
      <td class="num" data-col="this">
        {formatNumber(p.now, l)}
      </td>
      <td class="num" data-col="prev">
        {formatNumber(p.before, l)}
      </td>
      <td class="num" data-col="change">
        {formatChange(p.now - p.before, l)}
      </td>
    </tr>
  );
}

function UnitsTable({ d, qr, weekCol, prevCol }: { d: WeeklyData; qr: QrPoints; weekCol: string; prevCol: string }) {
  const weekNo = parseIsoWeek(d.week)!.week;
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  const rows = weeklyUnitRows(qr, d.qrPrevious, visitsByUnit(d.evp.rows, d.silent.unit.code, d.units));
  const sum = rows.reduce(
    (s, r) => ({
      venues: s.venues + r.venues,
      newVenues: s.newVenues + r.newVenues,
      scans: s.scans + r.scans,
      previousScans: s.previousScans + r.previousScans,
    }),
    { venues: 0, newVenues: 0, scans: 0, previousScans: 0 },
  );
  const byDistrict = d.unit.level === 'province';
  if (rows.length === 0) return <p>{t('qr.noChildren', { unit: qr.unit.name })}</p>;
  return (
    <table class="doc-table" data-testid="doc-units">
      <thead>
        <tr>
          <th scope="col" rowSpan={2} class="stt">
            {t('common.stt')}
          </th>
          <th scope="col" rowSpan={2} class="doc-name-col">
            {byDistrict ? t('common.district') : t('common.commune')}
          </th>
          <th scope="colgroup" colSpan={2}>
            {t('doc.col.points')}
          </th>
          <th scope="colgroup" colSpan={3}>
            {t('doc.col.scans')}
          </th>
          <th scope="colgroup" colSpan={2}>
            {t('doc.col.visitsOf', { week: weekNo })}
          </th>
          <th scope="col" rowSpan={2}>
            {t('qr.status')}
          </th>
        </tr>
        <tr>
          <th scope="col" class="num">
            {t('doc.col.total')}
          </th>
          <th scope="col" class="num">
            {t('doc.col.new')}
          </th>
          <th scope="col" class="num">
            {weekCol}
          </th>
          <th scope="col" class="num">
            {prevCol}
          </th>
          <th scope="col" class="num">
            {t('doc.col.change')}
          </th>
          <th scope="col" class="num">
            {t('doc.col.total')}
          </th>
          <th scope="col" class="num">
            {t('doc.col.share')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.code} data-code={r.code} data-low={r.low ? 'true' : 'false'}>
            <td class="stt">{i + 1}</td>
            <th scope="row">{r.name}</th>
            <td class="num" data-col="venues">
              {n(r.venues)}
            </td>
            <td class="num" data-col="new">
              {formatChange(r.newVenues, l)}
            </td>
            <td class="num" data-col="scans">
              {n(r.scans)}
            </td>
            <td class="num" data-col="prev">
              {n(r.previousScans)}
            </td>
            <td class="num" data-col="change">
              {formatChange(r.scans - r.previousScans, l)}
            </td>
            <td class="num" data-col="visits">
              {n(r.visits.total)}
            </td>
            <td class="num" data-col="share">
              {formatShare(r.visits.electronic, r.visits.total, l)}
            </td>
            <td>{r.low ? t('qr.low') : ''}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-testid="doc-units-total">
          <td />
          <th scope="row">{t('common.total')}</th>
          <td class="num">{n(sum.venues)}</td>
          <td class="num">{formatChange(sum.newVenues, l)}</td>
          <td class="num">{n(sum.scans)}</td>
          <td class="num">{n(sum.previousScans)}</td>
          <td class="num">{formatChange(sum.scans - sum.previousScans, l)}</td>
          <td class="num">{n(d.evp.total.total)}</td>
          <td class="num">{formatShare(d.evp.total.electronic, d.evp.total.total, l)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

/** A commune's venues: the week's visits against the week before's. */
function VenuesTable({ d, prevCol }: { d: WeeklyData; prevCol: string }) {
  const weekNo = parseIsoWeek(d.week)!.week;
  const l = lang.value;
  const n = (x: number) => formatNumber(x, l);
  const before = new Map<string, Visits>(d.evpPrevious.rows.map((r) => [r.venue_id, r]));
  if (d.evp.rows.length === 0) return <p>{t('evp.empty', { unit: d.evp.unit.name })}</p>;
  return (
    <table class="doc-table" data-testid="doc-venues">
      <thead>
        <tr>
          <th scope="col" rowSpan={2} class="stt">
            {t('common.stt')}
          </th>
          <th scope="col" rowSpan={2} class="doc-name-col">
            {t('common.venue')}
          </th>
          <th scope="colgroup" colSpan={3}>
            {t('doc.col.visitsOf', { week: weekNo })}
          </th>
          <th scope="col" rowSpan={2} class="num">
            {prevCol}
          </th>
          <th scope="col" rowSpan={2} class="num">
            {t('doc.col.change')}
          </th>
        </tr>
        <tr>
          <th scope="col" class="num">
            {t('doc.col.total')}
          </th>
          <th scope="col" class="num">
            {t('evp.electronic')}
          </th>
          <th scope="col" class="num">
            {t('evp.paper')}
          </th>
        </tr>
      </thead>
      <tbody>
        {d.evp.rows.map((r, i) => {
          const prev = before.get(r.venue_id)?.total ?? 0;
          return (
            <tr key={r.venue_id} data-venue={r.venue_id}>
              <td class="stt">{i + 1}</td>
              <th scope="row">{r.venue_name}</th>
              <td class="num" data-col="visits">
                {n(r.total)}
              </td>
              <td class="num" data-col="electronic">
                {n(r.electronic)}
              </td>
              <td class="num" data-col="paper">
                {n(r.paper)}
              </td>
              <td class="num" data-col="prev">
                {n(prev)}
              </td>
              <td class="num" data-col="change">
                {formatChange(r.total - prev, l)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PointTable({ title, points, testid }: { title: string; points: SilentPoint[]; testid: string }): ComponentChildren {
  return (
    <div class="doc-list" data-testid={testid}>
      <p class="doc-list-title">{title}</p>
      {points.length === 0 ? (
        <p class="doc-none">{t('doc.noneListed')}</p>
      ) : (
        <table class="doc-table">
          <thead>
            <tr>
              <th scope="col" class="stt">
                {t('common.stt')}
              </th>
              <th scope="col">{t('common.venue')}</th>
              <th scope="col">{t('doc.venueId')}</th>
              <th scope="col">{t('common.commune')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr key={p.venue_id} data-venue={p.venue_id}>
                <td class="stt">{i + 1}</td>
                <th scope="row">{p.venue_name}</th>
                <td class="doc-code">{p.venue_id}</td>
                <td>{p.commune_name || p.commune_code}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PrintIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M5 7V2h10v5M5 15H3V8h14v7h-2M6 12h8v6H6z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
    </svg>
  );
}

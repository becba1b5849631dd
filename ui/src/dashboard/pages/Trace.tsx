// Contact tracing (tracers and admins): who was at a venue during a window,
// or where a person went, inside the user's area. A reason is required and
// every answered lookup is in the audit log (its number is shown). The
// results stay on this page only: nothing personal goes into the URL, and
// leaving the page drops them. CSV is the server's, asked for again.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { addDays, formatIsoDate, formatNumber } from '../../shared/format';
import { ApiError, type Download, type PersonLookup, type VenueLookup } from '../api';
import { DateField, ReportHead } from '../components/Filters';
import { Empty, ErrorBox } from '../components/States';
import { When } from '../components/When';
import { vietnamToday } from '../dates';
import { asApiError } from '../errors';
import { lang, t, type MessageKey } from '../i18n';
import { useDashboard } from '../state';
import {
  DEFAULT_STAY_MINUTES,
  MAX_WINDOW_DAYS,
  checkWindow,
  compactNumber,
  formatVietnamDateTime,
  readStay,
  reasonProblem,
  venueIdProblem,
  type PersonBy,
  type WindowDraft,
  type WindowProblem,
} from '../tracing';
import { canTrace, type PersonTrace, type VenueTrace, type VenueView } from '../types';
import { communeNames } from '../units';

type Kind = 'venue' | 'person';

export function TracePage() {
  const dash = useDashboard();
  const params = dash.route.value.params;
  const kind: Kind = params.by === 'person' ? 'person' : 'venue';
  const allowed = canTrace(dash.session.value?.user.role);
  return (
    <section class="report" aria-labelledby="report-title" data-report="trace">
      <ReportHead title={t('trace.title')} />
      {!allowed ? (
        <div class="notice notice-warn" role="status" data-testid="not-allowed">
          {t('trace.notAllowed')}
        </div>
      ) : (
        <>
          <p class="lead trace-intro">{t('trace.intro')}</p>
          <fieldset class="segmented trace-by no-print" data-testid="trace-by">
            <legend>{t('trace.by')}</legend>
            {(['venue', 'person'] as const).map((k) => (
              <label key={k} class="segment">
                <input
                  type="radio"
                  name="trace-by"
                  value={k}
                  checked={kind === k}
                  data-testid={`trace-by-${k}`}
                  onChange={() => dash.navigate('trace', { ...(params.unit ? { unit: params.unit } : {}), by: k })}
                />
                <span>{k === 'venue' ? t('trace.byVenue') : t('trace.byPerson')}</span>
              </label>
            ))}
          </fieldset>
          {kind === 'venue' ? <VenueTracing key="venue" venue={params.venue ?? ''} /> : <PersonTracing key="person" />}
        </>
      )}
    </section>
  );
}

/** A lookup's state: the answer with the query it answers, or why it failed. */
type Lookup<Q, R> = { status: 'idle' } | { status: 'busy' } | { status: 'ok'; query: Q; data: R } | { status: 'error'; error: ApiError };

/** Runs lookups (the last one wins) and downloads their CSV. */
function useLookup<Q, R>(run: (q: Q) => Promise<R>, csv: (q: Q) => Promise<Download>) {
  const [state, setState] = useState<Lookup<Q, R>>({ status: 'idle' });
  const [csvBusy, setCsvBusy] = useState(false);
  const [csvError, setCsvError] = useState<ApiError | null>(null);
  const seq = useRef(0);
  const submit = async (q: Q) => {
    const mine = ++seq.current;
    setState({ status: 'busy' });
    setCsvError(null);
    try {
      const data = await run(q);
      if (mine === seq.current) setState({ status: 'ok', query: q, data });
    } catch (e) {
      if (mine === seq.current) setState({ status: 'error', error: asApiError(e) });
    }
  };
  const download = async () => {
    if (state.status !== 'ok') return;
    setCsvBusy(true);
    setCsvError(null);
    try {
      saveFile(await csv(state.query));
    } catch (e) {
      setCsvError(asApiError(e));
    } finally {
      setCsvBusy(false);
    }
  };
  return { state, submit, download, csvBusy, csvError };
}

/** Hands a downloaded file to the browser to save. */
function saveFile(d: Download): void {
  const url = URL.createObjectURL(d.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = d.filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const WINDOW_ERRORS: Record<WindowProblem, MessageKey> = {
  date: 'err.dateFormat',
  time: 'trace.err.time',
  order: 'trace.err.order',
  too_long: 'trace.err.tooLong',
};

function windowError(p: WindowProblem | undefined): string | null {
  if (!p) return null;
  return p === 'too_long' ? t('trace.err.tooLong', { n: MAX_WINDOW_DAYS }) : t(WINDOW_ERRORS[p] as 'trace.err.time');
}

function defaultWindow(daysBack: number): WindowDraft {
  const today = vietnamToday();
  return { fromDate: formatIsoDate(addDays(today, -daysBack)), fromTime: '00:00', toDate: formatIsoDate(today), toTime: '23:59' };
}

/** From and to, each a date (dd/mm/yyyy) and a time (hh:mm), Vietnam time. */
function WindowFields({ draft, onDraft, checked }: { draft: WindowDraft; onDraft: (d: WindowDraft) => void; checked: boolean }) {
  const w = checkWindow(draft);
  const err = (k: keyof WindowDraft) => (checked ? windowError(w.problems[k]) : null);
  const set = (k: keyof WindowDraft) => (v: string) => onDraft({ ...draft, [k]: v });
  return (
    <div class="trace-window">
      <DateField id="from-date" label={t('trace.fromDate')} value={draft.fromDate} error={err('fromDate')} onValue={set('fromDate')} hint="window-hint" />
      <TimeField id="from-time" label={t('trace.fromTime')} value={draft.fromTime} error={err('fromTime')} onValue={set('fromTime')} />
      <DateField id="to-date" label={t('trace.toDate')} value={draft.toDate} error={err('toDate')} onValue={set('toDate')} hint="window-hint" />
      <TimeField id="to-time" label={t('trace.toTime')} value={draft.toTime} error={err('toTime')} onValue={set('toTime')} />
      <p class="field-hint trace-window-hint" id="window-hint">
        {t('trace.windowHint', { n: MAX_WINDOW_DAYS })}
      </p>
    </div>
  );
}

function TimeField(p: { id: string; label: string; value: string; error: string | null; onValue: (v: string) => void }) {
  return (
    <div class={`field field-time ${p.error ? 'has-error' : ''}`} data-field={p.id}>
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
        maxLength={5}
        class="input"
        placeholder="hh:mm"
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={[p.error ? `${p.id}-error` : '', 'window-hint'].filter(Boolean).join(' ')}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      />
      {p.error && (
        <div class="field-error" id={`${p.id}-error`} data-testid="field-error">
          {p.error}
        </div>
      )}
    </div>
  );
}

/** A text field with its label, hint and error under it. */
function TextField(p: {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error: string | null;
  onValue: (v: string) => void;
  mono?: boolean;
  inputMode?: 'text' | 'numeric' | 'tel';
  placeholder?: string;
  maxLength?: number;
}) {
  const described = [p.error ? `${p.id}-error` : '', p.hint ? `${p.id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${p.error ? 'has-error' : ''}`} data-field={p.id}>
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        name={p.id}
        type="text"
        class={p.mono ? 'input mono-input' : 'input'}
        autoComplete="off"
        spellcheck={false}
        inputMode={p.inputMode}
        placeholder={p.placeholder}
        maxLength={p.maxLength}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={described}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      />
      {p.hint && (
        <div class="field-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      )}
      {p.error && (
        <div class="field-error" id={`${p.id}-error`} data-testid="field-error">
          {p.error}
        </div>
      )}
    </div>
  );
}

const REASON_ERRORS = { missing: 'trace.err.reasonMissing', short: 'trace.err.reasonShort', long: 'trace.err.reasonLong' } as const;

function ReasonField({ value, onValue, checked }: { value: string; onValue: (v: string) => void; checked: boolean }) {
  const p = reasonProblem(value);
  const error = checked && p ? t(REASON_ERRORS[p]) : null;
  return (
    <div class={`field field-reason ${error ? 'has-error' : ''}`} data-field="reason">
      <label for="reason">
        {t('trace.reason')} <span class="req" aria-hidden="true">*</span>
      </label>
      <textarea
        id="reason"
        name="reason"
        rows={2}
        required
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? 'reason-error' : '', 'reason-hint'].filter(Boolean).join(' ')}
        onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <div class="field-hint" id="reason-hint">
        {t('trace.reasonHint')}
      </div>
      {error && (
        <div class="field-error" id="reason-error" data-testid="field-error">
          {error}
        </div>
      )}
    </div>
  );
}

function SubmitRow({ busy }: { busy: boolean }) {
  return (
    <div class="trace-actions">
      <button type="submit" class="btn btn-lg" disabled={busy} data-testid="trace-submit">
        {busy ? t('trace.busy') : t('trace.submit')}
      </button>
    </div>
  );
}

/** Most matches listed under the search; the rest are counted. */
const VENUE_CHOICES = 8;
/** Quiet time after typing before the search is sent. */
const VENUE_SEARCH_DELAY_MS = 300;

type VenueSearchState =
  | { status: 'idle' }
  | { status: 'done'; venues: VenueView[]; total: number }
  | { status: 'failed' };

/** Finds QR points of the user's area by name or code and fills the code in. */
function VenueSearch({ onPick }: { onPick: (id: string) => void }) {
  const dash = useDashboard();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<VenueSearchState>({ status: 'idle' });
  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setFound({ status: 'idle' });
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      dash.api
        .venues(text, abort.signal)
        .then((r) => setFound({ status: 'done', venues: r.venues.slice(0, VENUE_CHOICES), total: r.total }))
        .catch(() => {
          if (!abort.signal.aborted) setFound({ status: 'failed' });
        });
    }, VENUE_SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);
  return (
    <div class="field venue-search" data-field="venue-search">
      <label for="venue-search">{t('trace.findVenue')}</label>
      <input
        id="venue-search"
        type="search"
        class="input"
        autoComplete="off"
        spellcheck={false}
        maxLength={100}
        value={q}
        aria-describedby="venue-search-hint venue-search-status"
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
      />
      <div class="field-hint" id="venue-search-hint">
        {t('trace.findVenueHint')}
      </div>
      <div id="venue-search-status" role="status" class="small muted">
        {found.status === 'failed' && t('trace.venueSearchFailed')}
        {found.status === 'done' && (found.total === 0 ? t('trace.venueNone') : t('trace.venueMatches', { n: formatNumber(found.total, lang.value) }))}
      </div>
      {found.status === 'done' && found.venues.length > 0 && (
        <ul class="venue-choices" data-testid="venue-choices">
          {found.venues.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                class="venue-choice"
                data-venue={v.id}
                aria-label={t('trace.venuePick', { name: v.name })}
                onClick={() => {
                  onPick(v.id);
                  setQ('');
                }}
              >
                <span class="venue-choice-name">{v.name}</span>
                <span class="small muted">
                  {v.commune_name} · <span class="mono">{v.id}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {found.status === 'done' && found.total > found.venues.length && (
        <div class="small muted">{t('trace.venueMore', { n: formatNumber(found.total - found.venues.length, lang.value) })}</div>
      )}
    </div>
  );
}

function VenueTracing({ venue }: { venue: string }) {
  const dash = useDashboard();
  const [venueId, setVenueId] = useState(venue);
  const [win, setWin] = useState<WindowDraft>(() => defaultWindow(0));
  const [stay, setStay] = useState('');
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const lookup = useLookup<VenueLookup, VenueTrace>(
    (q) => dash.api.traceVenue(q),
    (q) => dash.api.traceCsv('venue', q),
  );
  const venueProblem = venueIdProblem(venueId);
  const stayRead = readStay(stay);
  const w = checkWindow(win);
  const submit = (e: Event) => {
    e.preventDefault();
    setChecked(true);
    if (venueProblem || stayRead.problem || reasonProblem(reason) || !w.from || !w.to) {
      focusFirstError();
      return;
    }
    const q: VenueLookup = { venue_id: venueId.trim(), from: w.from, to: w.to, reason: reason.trim() };
    if (stayRead.minutes !== undefined) q.stay_minutes = stayRead.minutes;
    void lookup.submit(q);
  };
  return (
    <>
      <form class="card trace-form no-print" noValidate onSubmit={submit} aria-label={t('trace.byVenue')} data-testid="trace-form" data-kind="venue">
        <div class="trace-row">
          <TextField
            id="venue-id"
            label={t('trace.venueId')}
            value={venueId}
            hint={t('trace.venueIdHint')}
            error={checked && venueProblem ? t(venueProblem === 'missing' ? 'trace.err.venueMissing' : 'trace.err.venueFormat') : null}
            onValue={setVenueId}
            mono
            placeholder="38-14995-3PV2W6"
            maxLength={64}
          />
          <TextField
            id="stay"
            label={t('trace.stay')}
            value={stay}
            hint={t('trace.stayHint', { n: DEFAULT_STAY_MINUTES })}
            error={checked && stayRead.problem ? t('trace.err.stay') : null}
            onValue={setStay}
            inputMode="numeric"
            placeholder={String(DEFAULT_STAY_MINUTES)}
            maxLength={4}
          />
        </div>
        <VenueSearch onPick={setVenueId} />
        <WindowFields draft={win} onDraft={setWin} checked={checked} />
        <ReasonField value={reason} onValue={setReason} checked={checked} />
        <SubmitRow busy={lookup.state.status === 'busy'} />
      </form>
      <LookupOutcome lookup={lookup}>{(data) => <VenueResult r={data} />}</LookupOutcome>
    </>
  );
}

function PersonTracing() {
  const dash = useDashboard();
  const [by, setBy] = useState<PersonBy>('id_number');
  const [number, setNumber] = useState('');
  const [win, setWin] = useState<WindowDraft>(() => defaultWindow(13));
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const lookup = useLookup<PersonLookup, PersonTrace>(
    (q) => dash.api.tracePerson(q),
    (q) => dash.api.traceCsv('person', q),
  );
  const w = checkWindow(win);
  const missing = number.trim() === '';
  const submit = (e: Event) => {
    e.preventDefault();
    setChecked(true);
    if (missing || reasonProblem(reason) || !w.from || !w.to) {
      focusFirstError();
      return;
    }
    void lookup.submit({ [by]: number.trim(), from: w.from, to: w.to, reason: reason.trim() });
  };
  return (
    <>
      <form class="card trace-form no-print" noValidate onSubmit={submit} aria-label={t('trace.byPerson')} data-testid="trace-form" data-kind="person">
        <div class="trace-row">
          <fieldset class="field person-by" data-field="person-by">
            <legend class="field-label">{t('trace.personBy')}</legend>
            <div class="segmented">
              {(['id_number', 'phone'] as const).map((k) => (
                <label key={k} class="segment">
                  <input type="radio" name="person-by" value={k} checked={by === k} data-testid={`person-by-${k}`} onChange={() => setBy(k)} />
                  <span>{k === 'id_number' ? t('trace.idNumber') : t('trace.phone')}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <TextField
            id="person-number"
            label={by === 'id_number' ? t('trace.idNumber') : t('trace.phone')}
            value={number}
            hint={t('trace.personHint')}
            error={checked && missing ? t(by === 'id_number' ? 'trace.err.idMissing' : 'trace.err.phoneMissing') : null}
            onValue={setNumber}
            inputMode={by === 'phone' ? 'tel' : 'text'}
            mono
            maxLength={32}
          />
        </div>
        <WindowFields draft={win} onDraft={setWin} checked={checked} />
        <ReasonField value={reason} onValue={setReason} checked={checked} />
        <SubmitRow busy={lookup.state.status === 'busy'} />
      </form>
      <LookupOutcome lookup={lookup}>{(data, q) => <PersonResult r={data} q={q} />}</LookupOutcome>
    </>
  );
}

/** After a refused submit, the first field that says what is wrong takes the focus. */
function focusFirstError(): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('.trace-form [aria-invalid=true]');
    el?.focus();
  });
}

/** The outcome of the last lookup: nothing yet, the error, or the result with its CSV download. */
function LookupOutcome<Q, R>({
  lookup,
  children,
}: {
  lookup: ReturnType<typeof useLookup<Q, R>>;
  children: (data: R, q: Q) => ComponentChildren;
}) {
  const s = lookup.state;
  const head = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (s.status === 'ok' || s.status === 'error') head.current?.focus();
  }, [s]);
  if (s.status === 'idle' || s.status === 'busy') return null;
  return (
    <div class="trace-outcome" ref={head} tabIndex={-1} aria-live="polite">
      {s.status === 'error' ? (
        <ErrorBox error={s.error} title={t('trace.failed')} context="trace" />
      ) : (
        <div class="card trace-result" data-testid="trace-result">
          {children(s.data, s.query)}
          <div class="trace-csv no-print">
            <button type="button" class="btn btn-secondary" onClick={() => void lookup.download()} disabled={lookup.csvBusy} data-testid="trace-csv">
              {lookup.csvBusy ? t('trace.csvBusy') : t('trace.csv')}
            </button>
            <span class="small muted">{t('trace.csvNote')}</span>
          </div>
          {lookup.csvError && <ErrorBox error={lookup.csvError} title={t('trace.failed')} context="trace" />}
        </div>
      )}
    </div>
  );
}

function sourceText(s: string | null): string {
  if (!s) return '—';
  return ['qr', 'kiosk', 'self', 'paper', 'manual'].includes(s) ? t(`source.${s}` as 'source.qr') : s;
}

function AuditNote({ id }: { id: number }) {
  return (
    <p class="notice notice-ok trace-audit" data-testid="audit-id" data-audit-id={id}>
      {t('trace.audit', { id })}
    </p>
  );
}

export function VenueResult({ r }: { r: VenueTrace }) {
  const dash = useDashboard();
  const l = lang.value;
  const commune = communeNames(dash.areas.value?.units).get(r.venue.commune_code) ?? r.venue.commune_code;
  const estimated = r.people.some((p) => p.left_estimated);
  const noEntry = r.people.some((p) => !p.entered_at);
  return (
    <div data-kind="venue" data-venue={r.venue.id}>
      <div class="trace-result-head">
        <h2 data-testid="trace-result-title">{t('trace.venueResult', { venue: r.venue.name, commune })}</h2>
        <span class="tag tag-grey" data-testid="trace-count">
          {t('trace.peopleCount', { n: formatNumber(r.people.length, l) })}
        </span>
      </div>
      <p class="muted">
        {t('trace.window', { from: formatVietnamDateTime(r.window.from), to: formatVietnamDateTime(r.window.to) })} · <span class="mono">{r.venue.id}</span>
      </p>
      <AuditNote id={r.audit_id} />
      {r.people.length === 0 ? (
        <Empty>{t('trace.noPeople')}</Empty>
      ) : (
        <div class="table-scroll">
          <table class="data-table" data-testid="trace-people">
            <caption class="visually-hidden">{t('trace.venueResult', { venue: r.venue.name, commune })}</caption>
            <thead>
              <tr>
                <th scope="col" class="num stt">
                  {t('common.stt')}
                </th>
                <th scope="col">{t('trace.col.name')}</th>
                <th scope="col">{t('trace.col.idPhone')}</th>
                <th scope="col">{t('trace.col.in')}</th>
                <th scope="col">{t('trace.col.out')}</th>
                <th scope="col">{t('trace.col.source')}</th>
              </tr>
            </thead>
            <tbody>
              {r.people.map((p, i) => (
                <tr key={i} data-id={p.id_number ?? ''} data-estimated={p.left_estimated ? 'true' : 'false'}>
                  <td class="num">{i + 1}</td>
                  <th scope="row" data-col="name">
                    {p.name ?? '—'}
                  </th>
                  <td data-col="id">
                    {p.id_number && <div class="id-num">{p.id_number}</div>}
                    {p.phone && (
                      <div class="id-num" data-col="phone">
                        {p.phone}
                      </div>
                    )}
                    {!p.id_number && !p.phone && '—'}
                  </td>
                  <td data-col="in">{p.entered_at ? <When at={p.entered_at} /> : <span class="muted">{t('trace.noEntry')}</span>}</td>
                  <td data-col="out">
                    <When at={p.left_at} />
                    {p.left_estimated && (
                      <div>
                        <span class="tag tag-amber" data-testid="estimated">
                          {t('trace.estimated')}
                        </span>
                      </div>
                    )}
                  </td>
                  <td data-col="source">{sourceText(p.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {estimated && <p class="small muted">{t('trace.estimatedNote', { n: r.stay_minutes })}</p>}
      {noEntry && <p class="small muted">{t('trace.noEntryNote')}</p>}
    </div>
  );
}

function directionText(d: string | null): string {
  if (d === 'in') return t('dir.in');
  if (d === 'out') return t('dir.out');
  return d ? d : t('dir.declaration');
}

export function PersonResult({ r, q }: { r: PersonTrace; q: PersonLookup }) {
  const dash = useDashboard();
  const l = lang.value;
  const communes = communeNames(dash.areas.value?.units);
  const who = q.id_number ? t('audit.person.id', { value: compactNumber(q.id_number) }) : t('audit.person.phone', { value: compactNumber(q.phone ?? '') });
  return (
    <div data-kind="person">
      <div class="trace-result-head">
        <h2 data-testid="trace-result-title">{t('trace.personResult', { who })}</h2>
        <span class="tag tag-grey" data-testid="trace-count">
          {t('trace.visitsCount', { n: formatNumber(r.visits.length, l) })}
        </span>
      </div>
      <p class="muted">{t('trace.window', { from: formatVietnamDateTime(r.window.from), to: formatVietnamDateTime(r.window.to) })}</p>
      <AuditNote id={r.audit_id} />
      {r.visits.length === 0 ? (
        <Empty>{t('trace.noVisits')}</Empty>
      ) : (
        <div class="table-scroll">
          <table class="data-table" data-testid="trace-visits">
            <caption class="visually-hidden">{t('trace.personResult', { who })}</caption>
            <thead>
              <tr>
                <th scope="col" class="num stt">
                  {t('common.stt')}
                </th>
                <th scope="col">{t('trace.col.at')}</th>
                <th scope="col">{t('common.venue')}</th>
                <th scope="col">{t('common.commune')}</th>
                <th scope="col">{t('trace.col.direction')}</th>
                <th scope="col">{t('trace.col.source')}</th>
              </tr>
            </thead>
            <tbody>
              {r.visits.map((v, i) => (
                <tr key={i} data-venue={v.venue_id ?? ''}>
                  <td class="num">{i + 1}</td>
                  <td data-col="at">
                    <When at={v.at} />
                  </td>
                  <th scope="row" data-col="venue">
                    {v.venue_name ?? v.venue_id ?? '—'}
                    {v.venue_id && <div class="small muted mono">{v.venue_id}</div>}
                  </th>
                  <td data-col="commune">{v.commune_code ? (communes.get(v.commune_code) ?? v.commune_code) : '—'}</td>
                  <td data-col="direction">{directionText(v.direction)}</td>
                  <td data-col="source">{sourceText(v.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

// The citizen's phone page at /c/<code>: the venue, the health declaration
// (once; then one tap a visit, with a daily "anything changed?"), check-in and
// check-out, the signed pass, "my visits", and deleting it all.
//
// Stable hooks for end-to-end tests:
//   [data-testid=venue] (data-state: loading|known|unverified|unknown|none), [data-testid=venue-name]
//   form#declare-form (fields as in DeclarationFields, id prefix "c"), [data-testid=declare-submit]
//   [data-testid=checkin-in], [data-testid=checkin-out], [data-testid=confirm-unchanged], [data-testid=update-declaration]
//   [data-testid=done] (data-state: pending|sent|refused, data-direction), [data-testid=delivery], [data-testid=pass]
//   [data-testid=nav-visits], [data-testid=visit] (data-state), [data-testid=nav-privacy],
//   [data-testid=delete-data], [data-testid=delete-confirm], [data-testid=deleted], [data-testid=pending-count]
import { createContext } from 'preact';
import { useContext, useRef, useState } from 'preact/hooks';
import type { Language } from '../shared/gen';
import { LANGUAGES, lang, t } from '../shared/i18n';
import { draftToDeclaration, emptyDeclarationForm, focusFirstError, formFromDeclaration, formToDraft } from '../shared/declaration-form';
import { errorAdvice } from '../shared/errors';
import { formatDateTime, formatIsoDate, formatTime } from '../shared/format';
import { DeclarationFields, useDeclarationForm } from '../shared/components/DeclarationFields';
import { PassCard } from '../shared/components/PassCard';
import { Dialog } from '../shared/components/Dialog';
import type { LoadUnits } from '../shared/components/UnitPicker';
import { fetchUnits } from './api';
import type { Visit } from './db';
import type { Citizen } from './state';

export const CitizenContext = createContext<Citizen | null>(null);

function useCitizen(): Citizen {
  const c = useContext(CitizenContext);
  if (!c) throw new Error('CitizenContext missing');
  return c;
}

/** One loader for the page's life, so the pickers' cache holds. */
const loadUnits: LoadUnits = (parent) => fetchUnits(parent);

function LanguageSwitch({ c }: { c: Citizen }) {
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGUAGES.map((l: Language) => (
        <button type="button" key={l} lang={l} class="lang-btn" aria-pressed={lang.value === l} data-lang={l} onClick={() => c.setLanguage(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}

function VenueCardView({ c }: { c: Citizen }) {
  const v = c.venue.value;
  if (v.kind === 'none') return null;
  if (v.kind === 'unknown')
    return (
      <section class="card venue venue-bad" data-testid="venue" data-state="unknown" role="alert">
        <h1>{t('citizen.venueUnknownTitle')}</h1>
        <p>{t('citizen.venueUnknown')}</p>
      </section>
    );
  if (v.kind === 'loading')
    return (
      <section class="card venue" data-testid="venue" data-state="loading" aria-busy="true">
        <p class="muted">{t('citizen.venueLoading')}</p>
      </section>
    );
  if (v.kind === 'unverified')
    return (
      <section class="card venue" data-testid="venue" data-state="unverified">
        <h1>{t('citizen.venueUnverifiedTitle')}</h1>
        <p class="muted">{t('citizen.venueUnverified')}</p>
      </section>
    );
  const venue = v.venue;
  return (
    <section class="card venue" data-testid="venue" data-state="known">
      <p class="venue-kicker">{t('citizen.youAreAt')}</p>
      <h1 data-testid="venue-name">{venue.name}</h1>
      <p class="muted">{[venue.address, venue.commune_name].filter(Boolean).join(' · ')}</p>
    </section>
  );
}

function DeclareForm({ c, update }: { c: Citizen; update: boolean }) {
  const profile = c.profile.value;
  const { form, errors, setErrors, byField, err, clearError, set } = useDeclarationForm(() =>
    profile ? formFromDeclaration(profile.declaration) : emptyDeclarationForm(),
  );
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const atVenue = c.code !== null && c.venue.value.kind !== 'unknown';

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = draftToDeclaration(formToDraft(form), c.today());
    setErrors(r.errors);
    if (!r.declaration) {
      setTimeout(() => focusFirstError(formRef.current, r.errors), 0);
      return;
    }
    setBusy(true);
    setFailed(false);
    try {
      await c.declare(r.declaration);
      if (atVenue) await c.checkIn('in');
      else c.go({ name: 'home' });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form id="declare-form" ref={formRef} onSubmit={submit} noValidate>
      <section class="card intro">
        <h2>{update ? t('citizen.updateTitle') : t('kiosk.title')}</h2>
        <p>{update ? t('citizen.updateIntro') : t('citizen.firstIntro')}</p>
        <p class="notice notice-warn small">{t('kiosk.warning')}</p>
      </section>
      <DeclarationFields idPrefix="c" form={form} set={set} err={err} clearError={clearError} loadUnits={loadUnits} />
      <section class="card small privacy-note">
        <p>{t('citizen.privacyShort', { days: c.keepDays.value })}</p>
      </section>
      {errors.length > 0 && (
        <p class="notice notice-error" role="alert" data-testid="declare-errors">
          {t('kiosk.fixErrors', { n: byField.size })}
        </p>
      )}
      {failed && (
        <p class="notice notice-error" role="alert">
          {t('citizen.storageFailed')}
        </p>
      )}
      <div class="submit-bar">
        <button type="submit" class="btn btn-lg btn-block" disabled={busy} data-testid="declare-submit">
          {busy ? t('kiosk.submitting') : atVenue ? t('citizen.declareAndCheckIn') : t('citizen.saveDeclaration')}
        </button>
        {update && (
          <button type="button" class="btn btn-ghost btn-block" onClick={() => c.go({ name: 'home' })}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** What the person said about their health, in one line. */
function healthSummary(c: Citizen): string {
  const d = c.profile.value?.declaration;
  if (!d) return '';
  const symptoms = Object.entries(d.symptoms)
    .filter(([, on]) => on)
    .map(([k]) => t(`symptom.${k}` as 'symptom.fever'));
  const exposed = Object.values(d.exposures).some(Boolean);
  const parts = [symptoms.length ? symptoms.join(', ') : t('field.noSymptoms'), exposed ? t('citizen.exposedYes') : t('citizen.exposedNo')];
  return parts.join(' · ');
}

function CheckButtons({ c, oneTap }: { c: Citizen; oneTap: boolean }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setFailed(false);
    try {
      await fn();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  const profile = c.profile.value;
  if (!profile) return null;
  return (
    <>
      {oneTap ? (
        <section class="card">
          <p class="greeting">{t('citizen.hello', { name: profile.declaration.full_name })}</p>
          <p class="muted small">{t('citizen.declaredToday', { time: formatTime(profile.declared_at) })}</p>
          <div class="big-actions">
            <button type="button" class="btn btn-xl btn-block" disabled={busy} data-testid="checkin-in" onClick={() => run(() => c.checkIn('in'))}>
              {t('citizen.checkIn')}
            </button>
            <button type="button" class="btn btn-secondary btn-xl btn-block" disabled={busy} data-testid="checkin-out" onClick={() => run(() => c.checkIn('out'))}>
              {t('citizen.checkOut')}
            </button>
          </div>
          <button type="button" class="btn btn-ghost btn-block" data-testid="update-declaration" onClick={() => c.go({ name: 'form', update: true })}>
            {t('citizen.update')}
          </button>
        </section>
      ) : (
        <section class="card daily" data-testid="daily">
          <p class="greeting">{t('citizen.hello', { name: profile.declaration.full_name })}</p>
          <h2>{t('citizen.dailyTitle')}</h2>
          <p>{t('citizen.dailyLast', { date: formatIsoDate(profile.declared_on) })}</p>
          <p class="summary" data-testid="health-summary">
            {healthSummary(c)}
          </p>
          <div class="big-actions">
            <button
              type="button"
              class="btn btn-xl btn-block"
              disabled={busy}
              data-testid="confirm-unchanged"
              onClick={() =>
                run(async () => {
                  await c.confirmUnchanged();
                  await c.checkIn('in');
                })
              }
            >
              {t('citizen.unchangedCheckIn')}
            </button>
            <button type="button" class="btn btn-secondary btn-xl btn-block" data-testid="update-declaration" onClick={() => c.go({ name: 'form', update: true })}>
              {t('citizen.changedUpdate')}
            </button>
            <button type="button" class="btn btn-ghost btn-block" disabled={busy} data-testid="checkin-out" onClick={() => run(() => c.checkIn('out'))}>
              {t('citizen.checkOutOnly')}
            </button>
          </div>
        </section>
      )}
      {failed && (
        <p class="notice notice-error" role="alert">
          {t('citizen.storageFailed')}
        </p>
      )}
    </>
  );
}

function Delivery({ v }: { v: Visit }) {
  if (v.state === 'sent')
    return (
      <p class="notice notice-ok" data-testid="delivery" data-state="sent" role="status">
        {t('citizen.sent', { time: formatTime(v.sent_ms ?? Date.now()) })}
      </p>
    );
  if (v.state === 'refused')
    return (
      <div class="notice notice-error" data-testid="delivery" data-state="refused" role="alert">
        <strong>{t('citizen.refused')}</strong>
        <p>{v.refused_code === 'unknown_venue' ? t('citizen.venueUnknown') : errorAdvice(v.refused_code ?? 'unknown')}</p>
      </div>
    );
  return (
    <div class="notice notice-warn" data-testid="delivery" data-state="pending" role="status">
      <strong>{v.attempts === 0 ? t('citizen.sending') : t('citizen.notSentYet')}</strong>
      <p>{t('citizen.willSend')}</p>
    </div>
  );
}

function Done({ c, id }: { c: Citizen; id: string }) {
  const v = c.visits.value.find((x) => x.checkin_id === id);
  if (!v) return <Home c={c} />;
  const level = v.pass?.level;
  return (
    <div class="done" data-testid="done" data-state={v.state} data-direction={v.direction}>
      <section class="verdict verdict-compact" data-tone={v.state === 'refused' ? 'red' : (level ?? 'idle')} role="status">
        <div class="verdict-icon" aria-hidden="true">
          {v.state === 'refused' ? '✖' : '✔'}
        </div>
        <p class="verdict-title">{v.direction === 'in' ? t('citizen.checkedIn') : t('citizen.checkedOut')}</p>
        <p class="verdict-name">{v.venue_name ?? t('citizen.venueUnverifiedTitle')}</p>
        <p class="verdict-meta">{formatDateTime(v.at)}</p>
      </section>
      <Delivery v={v} />
      {level && v.direction === 'in' && (
        <p class="notice" data-tone={level}>
          {level === 'green' ? t('kiosk.resultGreen') : level === 'amber' ? t('kiosk.resultAmber') : t('kiosk.resultRed')}
        </p>
      )}
      {v.pass ? (
        <>
          <PassCard pass={v.pass} />
          <p class="pass-hint">{t('citizen.passHint')}</p>
        </>
      ) : (
        v.state === 'pending' && <p class="muted">{t('citizen.passLater')}</p>
      )}
      <button type="button" class="btn btn-lg btn-block" data-testid="done-ok" onClick={() => c.go({ name: 'home' })}>
        {t('common.done')}
      </button>
    </div>
  );
}

function stateTag(v: Visit) {
  const [cls, key] =
    v.state === 'sent' ? ['tag-green', 'citizen.stateSent'] : v.state === 'refused' ? ['tag-red', 'citizen.stateRefused'] : ['tag-amber', 'citizen.statePending'];
  return <span class={`tag ${cls}`}>{t(key as 'citizen.stateSent')}</span>;
}

function Visits({ c }: { c: Citizen }) {
  const list = c.visits.value;
  return (
    <section class="card" data-testid="visits">
      <h2>{t('citizen.myVisits')}</h2>
      <p class="muted small">{t('citizen.visitsKept', { days: c.keepDays.value })}</p>
      {list.length === 0 ? (
        <p>{t('citizen.noVisits')}</p>
      ) : (
        <ul class="visit-list">
          {list.map((v) => (
            <li key={v.checkin_id}>
              <button type="button" class="visit" data-testid="visit" data-state={v.state} onClick={() => c.go({ name: 'done', id: v.checkin_id })}>
                <span class="visit-what">
                  <strong>{v.venue_name ?? t('citizen.venueUnverifiedTitle')}</strong>
                  <span class="muted small">
                    {v.direction === 'in' ? t('citizen.in') : t('citizen.out')} · {formatDateTime(v.at)}
                  </span>
                </span>
                {stateTag(v)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="btn btn-secondary btn-block" onClick={() => c.go({ name: 'home' })}>
        {t('citizen.back')}
      </button>
    </section>
  );
}

function Privacy({ c }: { c: Citizen }) {
  const [asking, setAsking] = useState(false);
  const pending = c.pending.value;
  return (
    <section class="card" data-testid="privacy">
      <h2>{t('citizen.privacyTitle')}</h2>
      <p>{t('citizen.privacyWhat')}</p>
      <p>{t('citizen.privacyWhere', { days: c.keepDays.value })}</p>
      <p>{t('citizen.privacyLink')}</p>
      <button type="button" class="btn btn-danger btn-block" data-testid="delete-data" onClick={() => setAsking(true)}>
        {t('citizen.deleteData')}
      </button>
      <button type="button" class="btn btn-secondary btn-block" onClick={() => c.go({ name: 'home' })}>
        {t('citizen.back')}
      </button>
      {asking && (
        <Dialog title={t('citizen.deleteTitle')} onClose={() => setAsking(false)} testid="delete-dialog" id="delete">
          <p>{t('citizen.deleteWhat')}</p>
          {pending > 0 && <p class="notice notice-warn">{t('citizen.deletePending', { n: pending })}</p>}
          <div class="btn-row">
            <button type="button" class="btn btn-secondary" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" class="btn btn-danger" data-testid="delete-confirm" onClick={() => void c.deleteEverything()}>
              {t('citizen.deleteConfirm')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function Home({ c }: { c: Citizen }) {
  const venue = c.venue.value;
  const profile = c.profile.value;
  if (c.storageFailed.value)
    return (
      <p class="notice notice-error" role="alert" data-testid="storage-failed">
        {t('citizen.storageFailed')}
      </p>
    );
  if (venue.kind === 'unknown' || venue.kind === 'loading') return null;
  if (!profile) return <DeclareForm c={c} update={false} />;
  if (venue.kind === 'none')
    return (
      <section class="card">
        <p class="greeting">{t('citizen.hello', { name: profile.declaration.full_name })}</p>
        <p>{t('citizen.scanPoster')}</p>
      </section>
    );
  return <CheckButtons c={c} oneTap={c.declaredToday()} />;
}

function Footer({ c }: { c: Citizen }) {
  const pending = c.pending.value;
  const n = c.visits.value.length;
  return (
    <nav class="foot" aria-label={t('citizen.more')}>
      {pending > 0 && (
        <p class="notice notice-warn small" data-testid="pending-count" data-count={pending}>
          {t('citizen.pendingCount', { n: pending })}
        </p>
      )}
      <button type="button" class="link" data-testid="nav-visits" onClick={() => c.go({ name: 'visits' })}>
        {t('citizen.myVisits')} ({n})
      </button>
      <button type="button" class="link" data-testid="nav-privacy" onClick={() => c.go({ name: 'privacy' })}>
        {t('citizen.privacyNav')}
      </button>
    </nav>
  );
}

export function App() {
  const c = useCitizen();
  if (!c.ready.value)
    return (
      <main class="citizen">
        <p class="muted">{t('app.loading')}</p>
      </main>
    );
  const s = c.screen.value;
  if (s.name === 'deleted')
    return (
      <main class="citizen">
        <section class="card" data-testid="deleted" role="status">
          <h1>{t('citizen.deletedTitle')}</h1>
          <p>{t('citizen.deleted', { days: c.keepDays.value })}</p>
          <button type="button" class="btn btn-block" onClick={() => location.reload()}>
            {t('citizen.startAgain')}
          </button>
        </section>
      </main>
    );
  return (
    <main class="citizen">
      <header class="top">
        <span class="brand">{t('citizen.brand')}</span>
        <LanguageSwitch c={c} />
      </header>
      {s.name !== 'visits' && s.name !== 'privacy' && <VenueCardView c={c} />}
      {s.name === 'home' && <Home c={c} />}
      {s.name === 'form' && <DeclareForm c={c} update={s.update} />}
      {s.name === 'done' && <Done c={c} id={s.id} />}
      {s.name === 'visits' && <Visits c={c} />}
      {s.name === 'privacy' && <Privacy c={c} />}
      {(s.name === 'home' || s.name === 'done') && <Footer c={c} />}
    </main>
  );
}

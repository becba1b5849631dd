// Tự khai báo y tế — the citizen's self-declaration kiosk.
//
// Stable hooks for end-to-end tests:
//   form#kiosk-form, fields wrapped in [data-field=<Declaration key>] (e.g. "phone",
//   "address.commune_code", "exposures.person_with_symptoms", "consent")
//   [data-testid=field-error]      the error text under a field (how to fix it)
//   [data-testid=kiosk-submit]     send; [data-testid=kiosk-errors] error summary
//   [data-testid=kiosk-result]     result with data-level; [data-testid=pass] the pass card
//                                  (data-pass-text = IssuedPass.text); [data-testid=pass-print], [data-testid=kiosk-done]
//   [data-testid=idle-countdown]   inactivity countdown (data-seconds)
//   [data-testid=kiosk-lock]       start kiosk mode; [data-testid=kiosk-unlock] leave (PIN dialog #kiosk-pin)
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Declared, Exposures, FieldError, Gender, Symptoms } from '../../shared/gen';
import { lang, t } from '../../shared/i18n';
import { EXPOSURES, SYMPTOMS, noSymptoms } from '../../shared/declaration';
import { draftToDeclaration, focusFirstError, parseBirthParts, type DeclarationDraft } from '../../shared/declaration-form';
import { errorsByField, fieldErrorText } from '../../shared/field-errors';
import { localIsoDate } from '../../shared/format';
import { createIdleTimer } from '../../shared/idle';
import { toCommandError } from '../../shared/backend';
import { ChoiceGroup, CheckTile, Field, FieldErrorText, TextField, describedBy } from '../../shared/components/Field';
import { NO_UNITS, UnitPicker, type UnitCodes } from '../../shared/components/UnitPicker';
import { PassCard } from '../../shared/components/PassCard';
import { Dialog } from '../../shared/components/Dialog';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { useStation } from '../station';
import { LanguageSwitch } from '../chrome';
import { kioskIdle } from '../config';

interface KioskForm {
  full_name: string;
  id_number: string;
  birthDay: string;
  birthMonth: string;
  birthYear: string;
  gender: Gender | null;
  nationality: string;
  nationalityOther: string;
  phone: string;
  email: string;
  address: UnitCodes;
  street: string;
  places: string[];
  placeDraft: string;
  symptoms: Symptoms;
  exposures: Record<keyof Exposures, boolean | null>;
  consent: boolean;
}

/** Which error fields a form value answers (its error goes away when it changes). */
const ERROR_FIELD: Record<keyof KioskForm, string> = {
  full_name: 'full_name',
  id_number: 'id_number',
  birthDay: 'birth',
  birthMonth: 'birth',
  birthYear: 'birth',
  gender: 'gender',
  nationality: 'nationality',
  nationalityOther: 'nationality',
  phone: 'phone',
  email: 'email',
  address: 'address.',
  street: 'address.street',
  places: 'places_visited',
  placeDraft: 'places_visited',
  symptoms: 'symptoms',
  exposures: 'exposures.',
  consent: 'consent',
};

function emptyForm(): KioskForm {
  return {
    full_name: '',
    id_number: '',
    birthDay: '',
    birthMonth: '',
    birthYear: '',
    gender: null,
    nationality: 'VN',
    nationalityOther: '',
    phone: '',
    email: '',
    address: { ...NO_UNITS },
    street: '',
    places: [],
    placeDraft: '',
    symptoms: noSymptoms(),
    exposures: { confirmed_or_suspected_case: null, person_from_affected_area: null, person_with_symptoms: null },
    consent: false,
  };
}

const COUNTRIES = ['VN', 'CN', 'KR', 'JP', 'TW', 'US', 'LA', 'KH', 'TH', 'SG', 'MY', 'PH', 'ID', 'IN', 'RU', 'FR', 'DE', 'GB', 'AU'];

/** Country name in the UI language (Intl), or the code. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function toDraft(f: KioskForm): DeclarationDraft {
  return {
    full_name: f.full_name,
    id_number: f.id_number,
    birth: parseBirthParts(f.birthDay, f.birthMonth, f.birthYear),
    gender: f.gender,
    nationality: f.nationality === 'other' ? f.nationalityOther : f.nationality,
    phone: f.phone,
    email: f.email,
    address: { ...f.address, street: f.street },
    places: f.places,
    symptoms: f.symptoms,
    exposures: f.exposures,
    consent: f.consent,
  };
}

function isDirty(f: KioskForm): boolean {
  return JSON.stringify(f) !== JSON.stringify(emptyForm());
}

function PinDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const ok = await station.unlockKiosk(pin);
      if (ok) onClose();
      else {
        setError(t('kiosk.pinWrong'));
        setPin('');
      }
    } catch (err) {
      station.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('kiosk.pinTitle')} onClose={onClose} testid="pin-dialog" id="pin">
      <form onSubmit={submit} noValidate>
        <TextField id="kiosk-pin" label={t('kiosk.pin')} type="password" inputMode="numeric" value={pin} onValue={setPin} error={error} autoFocus maxLength={12} />
        <div class="btn-row">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn" disabled={busy || pin === ''} data-testid="pin-submit">
            {t('kiosk.pinEnter')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Result({ declared, onDone }: { declared: Declared; onDone: () => void }) {
  const level = declared.verdict.level;
  const text = level === 'green' ? t('kiosk.resultGreen') : level === 'amber' ? t('kiosk.resultAmber') : t('kiosk.resultRed');
  const icon = level === 'green' ? '✔' : level === 'amber' ? '!' : '✖';
  return (
    <div class="kiosk-result" data-testid="kiosk-result" data-level={level}>
      <section class="verdict verdict-compact" data-tone={level} role="status">
        <div class="verdict-icon" aria-hidden="true">
          {icon}
        </div>
        <p class="verdict-title">{t('kiosk.thanks')}</p>
        <p class="verdict-name">{text}</p>
      </section>
      {declared.pass ? (
        <>
          <PassCard pass={declared.pass} />
          <p class="pass-hint">{t('pass.hint')}</p>
        </>
      ) : (
        <p class="muted">{t('pass.none')}</p>
      )}
      <div class="btn-row no-print">
        {declared.pass && (
          <button type="button" class="btn btn-secondary btn-lg" data-testid="pass-print" onClick={() => window.print()}>
            {t('pass.print')}
          </button>
        )}
        <button type="button" class="btn btn-lg" data-testid="kiosk-done" onClick={onDone}>
          {t('common.done')}
        </button>
      </div>
    </div>
  );
}

export function Kiosk() {
  const station = useStation();
  const [form, setForm] = useState<KioskForm>(emptyForm);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [declared, setDeclared] = useState<Declared | null>(null);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<ReturnType<typeof toCommandError> | null>(null);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [noPinNote, setNoPinNote] = useState(false);
  const [pinOpen, setPinOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const locked = station.kioskLocked.value;
  const byField = errorsByField(errors);
  const err = (field: string) => {
    const e = byField.get(field);
    return e ? fieldErrorText(e, lang.value) : null;
  };
  const clearError = (field: string) =>
    setErrors((es) => (es.some((e) => e.field.startsWith(field)) ? es.filter((e) => !e.field.startsWith(field)) : es));
  const set = <K extends keyof KioskForm>(k: K, v: KioskForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (k !== 'exposures') clearError(ERROR_FIELD[k]);
  };

  const reset = () => {
    setForm(emptyForm());
    setErrors([]);
    setDeclared(null);
    setSubmitError(null);
    setCountdown(null);
    window.scrollTo?.(0, 0);
  };

  // Inactivity: countdown, then clear (only when there is something to clear).
  const active = declared !== null || isDirty(form);
  const timer = useMemo(
    () =>
      createIdleTimer({
        warnAfterMs: kioskIdle.warnMs,
        resetAfterMs: kioskIdle.resetMs,
        onCountdown: setCountdown,
        onReset: reset,
      }),
    [],
  );
  useEffect(() => {
    if (active && !timer.running) timer.start();
    if (!active && timer.running) timer.stop();
  }, [active]);
  useEffect(() => {
    const poke = () => timer.activity();
    const opts = { capture: true, passive: true };
    for (const ev of ['pointerdown', 'keydown', 'input', 'wheel'] as const) document.addEventListener(ev, poke, opts);
    return () => {
      timer.stop();
      for (const ev of ['pointerdown', 'keydown', 'input', 'wheel'] as const) document.removeEventListener(ev, poke, opts);
    };
  }, [timer]);

  const countries = useMemo(() => {
    const rest = COUNTRIES.slice(1)
      .map((c) => ({ code: c, name: countryName(c, lang.value) }))
      .sort((a, b) => a.name.localeCompare(b.name, lang.value));
    return [{ code: 'VN', name: countryName('VN', lang.value) }, ...rest];
  }, [lang.value]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitError(null);
    const today = localIsoDate(new Date());
    const r = draftToDeclaration(toDraft(form), today);
    setErrors(r.errors);
    if (!r.declaration) {
      setTimeout(() => focusFirstError(formRef.current, r.errors), 0);
      return;
    }
    setBusy(true);
    try {
      const d = await station.backend.kiosk_declare({ declaration: r.declaration });
      setDeclared(d);
      setErrors([]);
      window.scrollTo?.(0, 0);
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.code === 'invalid_declaration' && ce.fields?.length) {
        setErrors(ce.fields);
        setTimeout(() => focusFirstError(formRef.current, ce.fields ?? []), 0);
      } else setSubmitError(ce);
    } finally {
      setBusy(false);
    }
  };

  const addPlace = () => {
    const p = form.placeDraft.trim();
    if (!p) return;
    setForm((f) => ({ ...f, places: [...f.places, p], placeDraft: '' }));
  };

  const header = (
    <div class="kiosk-head no-print">
      <div>
        <h1>{t('kiosk.title')}</h1>
        <p class="muted">{t('kiosk.subtitle')}</p>
      </div>
      <div class="kiosk-head-actions">
        {locked && <LanguageSwitch />}
        {locked ? (
          <button type="button" class="btn btn-ghost" data-testid="kiosk-unlock" onClick={() => setPinOpen(true)}>
            {t('kiosk.unlock')}
          </button>
        ) : (
          <button
            type="button"
            class="btn btn-secondary"
            data-testid="kiosk-lock"
            title={t('kiosk.staffOnly')}
            onClick={() => setNoPinNote(!station.lockKiosk())}
          >
            {t('kiosk.lock')}
          </button>
        )}
      </div>
    </div>
  );

  const countdownDialog = countdown !== null && (
    <Dialog title={t('kiosk.idleTitle')} onClose={() => timer.activity()} testid="idle-dialog" id="idle">
      <p class="idle-text" data-testid="idle-countdown" data-seconds={countdown} role="timer" aria-live="assertive">
        {t('kiosk.idle', { s: countdown })}
      </p>
      <div class="idle-number" aria-hidden="true">
        {countdown}
      </div>
      <div class="btn-row">
        <button type="button" class="btn btn-secondary" onClick={reset}>
          {t('kiosk.clear')}
        </button>
        <button type="button" class="btn btn-lg" autoFocus onClick={() => timer.activity()}>
          {t('kiosk.idleContinue')}
        </button>
      </div>
    </Dialog>
  );

  if (declared) {
    return (
      <div class="kiosk">
        {header}
        <Result declared={declared} onDone={reset} />
        {countdownDialog}
        {pinOpen && <PinDialog onClose={() => setPinOpen(false)} />}
      </div>
    );
  }

  const symptomsId = 'k-symptoms';
  return (
    <div class="kiosk">
      {header}
      {noPinNote && !locked && (
        <div class="notice notice-warn" role="alert" data-testid="kiosk-no-pin">
          <p>{t('kiosk.noPin')}</p>
          <button type="button" class="btn btn-secondary" onClick={() => station.navigate('settings')}>
            {t('kiosk.goSettings')}
          </button>
        </div>
      )}
      <p class="notice notice-warn">{t('kiosk.warning')}</p>
      <form id="kiosk-form" ref={formRef} onSubmit={submit} noValidate>
        <section class="card form-section">
          <h2>{t('kiosk.sec.identity')}</h2>
          <p class="muted small">{t('kiosk.required')}</p>
          <TextField id="k-name" name="full_name" label={t('field.full_name')} required value={form.full_name} onValue={(v) => set('full_name', v)} error={err('full_name')} autoCapitalize="words" autoComplete="name" />
          <TextField id="k-id" name="id_number" label={t('field.id_number')} optional value={form.id_number} onValue={(v) => set('id_number', v)} error={err('id_number')} inputMode="text" />
          <fieldset class={`field ${err('birth') ? 'has-error' : ''}`} data-field="birth" aria-describedby={describedBy('k-birth', true, err('birth'))}>
            <legend class="field-label">
              {t('field.birth')}
              <span class="req" aria-hidden="true">
                {' *'}
              </span>
            </legend>
            <div class="birth-row">
              <label>
                <span>{t('field.birthDay')}</span>
                <input id="k-birth-day" class="input" inputMode="numeric" maxLength={2} placeholder="dd" value={form.birthDay} onInput={(e) => set('birthDay', e.currentTarget.value)} />
              </label>
              <label>
                <span>{t('field.birthMonth')}</span>
                <input id="k-birth-month" class="input" inputMode="numeric" maxLength={2} placeholder="mm" value={form.birthMonth} onInput={(e) => set('birthMonth', e.currentTarget.value)} />
              </label>
              <label class="birth-year">
                <span>
                  {t('field.birthYear')}
                  <span class="req" aria-hidden="true">
                    {' *'}
                  </span>
                </span>
                <input id="k-birth" class="input" inputMode="numeric" maxLength={4} placeholder="yyyy" value={form.birthYear} aria-invalid={err('birth') ? true : undefined} onInput={(e) => set('birthYear', e.currentTarget.value)} />
              </label>
            </div>
            <div class="field-hint" id="k-birth-hint">
              {t('field.birthHint')}
            </div>
            <FieldErrorText id="k-birth" error={err('birth')} />
          </fieldset>
          <ChoiceGroup<Gender>
            id="k-gender"
            name="gender"
            label={t('field.gender')}
            required
            value={form.gender}
            onValue={(v) => set('gender', v)}
            error={err('gender')}
            options={[
              { value: 'male', label: t('gender.male') },
              { value: 'female', label: t('gender.female') },
              { value: 'other', label: t('gender.other') },
            ]}
          />
          <div class="field-row">
            <Field id="k-nationality" name="nationality" label={t('field.nationality')} required error={form.nationality === 'other' ? null : err('nationality')}>
              <select id="k-nationality" value={form.nationality} onChange={(e) => set('nationality', e.currentTarget.value)}>
                {countries.map((c) => (
                  <option value={c.code} key={c.code}>
                    {c.name}
                  </option>
                ))}
                <option value="other">{t('field.otherCountry')}</option>
              </select>
            </Field>
            {form.nationality === 'other' && (
              <TextField id="k-nationality-other" name="nationality" label={t('field.nationalityOther')} required value={form.nationalityOther} onValue={(v) => set('nationalityOther', v.toUpperCase())} error={err('nationality')} maxLength={2} placeholder="VN" />
            )}
          </div>
        </section>

        <section class="card form-section">
          <h2>{t('kiosk.sec.contact')}</h2>
          <div class="field-row">
            <TextField id="k-phone" name="phone" type="tel" inputMode="tel" label={t('field.phone')} required value={form.phone} onValue={(v) => set('phone', v)} error={err('phone')} autoComplete="tel" placeholder="0912345678" />
            <TextField id="k-email" name="email" type="email" inputMode="email" label={t('field.email')} optional value={form.email} onValue={(v) => set('email', v)} error={err('email')} autoComplete="email" />
          </div>
        </section>

        <section class="card form-section">
          <h2>{t('kiosk.sec.address')}</h2>
          <UnitPicker
            idPrefix="k-addr"
            value={form.address}
            onChange={(a) => set('address', a)}
            load={station.loadUnits}
            required
            errors={{ province: err('address.province_code'), district: err('address.district_code'), commune: err('address.commune_code') }}
            onDone={() => document.getElementById('k-street')?.focus()}
          />
          <TextField id="k-street" name="address.street" label={t('field.street')} optional value={form.street} onValue={(v) => set('street', v)} error={err('address.street')} />
        </section>

        <section class="card form-section">
          <h2>{t('kiosk.sec.places')}</h2>
          <div class={`field ${err('places_visited') ? 'has-error' : ''}`} data-field="places_visited">
            <label for="k-place">{t('field.places')}</label>
            <div class="inline-add">
              <input
                id="k-place"
                class="input"
                value={form.placeDraft}
                aria-describedby={describedBy('k-place', true, err('places_visited'))}
                onInput={(e) => set('placeDraft', e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addPlace();
                  }
                }}
              />
              <button type="button" class="btn btn-secondary" data-testid="place-add" onClick={addPlace}>
                {t('places.add')}
              </button>
            </div>
            <div class="field-hint" id="k-place-hint">
              {t('field.placesHint')}
            </div>
            {form.places.length > 0 && (
              <ul class="chips">
                {form.places.map((p, i) => (
                  <li key={`${p}-${i}`}>
                    {p}
                    <button type="button" aria-label={t('places.remove', { place: p })} onClick={() => set('places', form.places.filter((_, j) => j !== i))}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <FieldErrorText id="k-place" error={err('places_visited')} />
          </div>
        </section>

        <section class="card form-section">
          <h2 id={`${symptomsId}-title`}>{t('kiosk.sec.symptoms')}</h2>
          <p class="muted">{t('field.symptomsHint')}</p>
          <div class="tiles" role="group" aria-labelledby={`${symptomsId}-title`} data-field="symptoms">
            {SYMPTOMS.map((s) => (
              <CheckTile key={s} name={`symptom-${s}`} checked={form.symptoms[s]} onValue={(v) => set('symptoms', { ...form.symptoms, [s]: v })}>
                {t(`symptom.${s}`)}
              </CheckTile>
            ))}
          </div>
        </section>

        <section class="card form-section">
          <h2>{t('kiosk.sec.exposure')}</h2>
          {EXPOSURES.map((x) => (
            <ChoiceGroup<'yes' | 'no'>
              key={x}
              id={`k-exp-${x}`}
              name={`exposures.${x}`}
              label={t(`exposure.${x}`)}
              required
              class="exposure"
              value={form.exposures[x] === null ? null : form.exposures[x] ? 'yes' : 'no'}
              onValue={(v) => {
                set('exposures', { ...form.exposures, [x]: v === 'yes' });
                clearError(`exposures.${x}`);
              }}
              error={err(`exposures.${x}`)}
              options={[
                { value: 'no', label: t('common.no') },
                { value: 'yes', label: t('common.yes') },
              ]}
            />
          ))}
        </section>

        <section class="card form-section">
          <h2>{t('kiosk.sec.consent')}</h2>
          <div class={`field ${err('consent') ? 'has-error' : ''}`} data-field="consent">
            <CheckTile id="k-consent" name="consent" checked={form.consent} invalid={!!err('consent')} describedBy={describedBy('k-consent', false, err('consent'))} onValue={(v) => set('consent', v)}>
              {t('field.consent')}
            </CheckTile>
            <FieldErrorText id="k-consent" error={err('consent')} />
          </div>
        </section>

        {errors.length > 0 && (
          <p class="notice notice-error" role="alert" data-testid="kiosk-errors">
            {t('kiosk.fixErrors', { n: errorsByField(errors).size })}
          </p>
        )}
        {submitError && <ErrorNotice error={submitError} />}
        <div class="submit-bar">
          <button type="submit" class="btn btn-lg btn-block" disabled={busy} data-testid="kiosk-submit">
            {busy ? t('kiosk.submitting') : t('kiosk.submit')}
          </button>
        </div>
      </form>
      {countdownDialog}
      {pinOpen && <PinDialog onClose={() => setPinOpen(false)} />}
    </div>
  );
}

// Nhập tờ khai giấy — staff type paper declarations and paper logbook lines.
// Keyboard first: the first field has the focus, Tab moves on, Enter saves
// (also on checkboxes), address pickers take a few typed letters + Enter/Tab.
// After saving, the form clears for the next paper and keeps date, time and direction.
//
// Stable hooks for end-to-end tests:
//   [data-testid=paper-mode] buttons [data-mode=declaration|visit][aria-pressed]
//   #p-date, #p-time (as written on the paper), #p-name, #p-id, #p-phone, #p-birth,
//   #p-idphone (logbook line), #p-addr-province/district/commune (type + Enter)
//   [data-field=...] wrappers, [data-testid=field-error]
//   [data-testid=same-day]     warning: this person already has a record that day (<li> per record)
//   [data-testid=paper-saved]  confirmation of the last save (data-level)
//   [data-testid=paper-submit]
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Direction, FieldError, Gender, SameDayRecord, Symptoms, Exposures, TypedPerson, Level } from '../../shared/gen';
import { lang, t } from '../../shared/i18n';
import { EXPOSURES, SYMPTOMS, noExposures, noSymptoms, personProblemsOf, splitIdOrPhone, typedPerson, type PersonProblems } from '../../shared/declaration';
import { draftToDeclaration, focusFirstError, parseBirthText } from '../../shared/declaration-form';
import { errorsByField, fieldErrorText, personProblemText } from '../../shared/field-errors';
import { formatDate, formatNumber, formatTime, localHm, localIsoDate, localRfc3339, parseDateInput, parseTimeInput } from '../../shared/format';
import { toCommandError } from '../../shared/backend';
import { ChoiceGroup, CheckTile, Field, FieldErrorText, TextField } from '../../shared/components/Field';
import { NO_UNITS, UnitPicker, type UnitCodes } from '../../shared/components/UnitPicker';
import { genderOptions } from '../../shared/components/DeclarationFields';
import { toast } from '../../shared/components/toast';
import { useStation } from '../station';

type Mode = 'declaration' | 'visit';

interface PaperForm {
  full_name: string;
  id_number: string;
  phone: string;
  idOrPhone: string;
  birth: string;
  gender: Gender | null;
  nationality: string;
  email: string;
  address: UnitCodes;
  street: string;
  places: string;
  symptoms: Symptoms;
  exposures: Exposures;
  signed: boolean;
}

function blank(): PaperForm {
  return {
    full_name: '',
    id_number: '',
    phone: '',
    idOrPhone: '',
    birth: '',
    gender: null,
    nationality: 'VN',
    email: '',
    address: { ...NO_UNITS },
    street: '',
    places: '',
    symptoms: noSymptoms(),
    exposures: noExposures(),
    signed: true,
  };
}

/** Which error field a form value answers (its error goes away when it changes). */
const PAPER_ERROR_FIELD: Record<keyof PaperForm, string> = {
  full_name: 'full_name',
  id_number: 'id_number',
  phone: 'phone',
  idOrPhone: '-',
  birth: 'birth',
  gender: 'gender',
  nationality: 'nationality',
  email: 'email',
  address: 'address.',
  street: 'address.street',
  places: 'places_visited',
  symptoms: 'symptoms',
  exposures: 'exposures',
  signed: 'consent',
};
const PERSON_FIELD: Partial<Record<keyof PaperForm, 'name' | 'idOrPhone' | 'birthYear'>> = {
  full_name: 'name',
  idOrPhone: 'idOrPhone',
  birth: 'birthYear',
};

interface Saved {
  name: string;
  level: Level;
  sameDay: number;
  seq: number;
}

/** The person a paper names, once name and an ID or phone are typed (for the same-day check). */
function personOf(mode: Mode, f: PaperForm): TypedPerson | null {
  const name = f.full_name.trim();
  if (!name) return null;
  if (mode === 'visit') {
    const s = splitIdOrPhone(f.idOrPhone);
    if (!s.id_number && !s.phone) return null;
    const y = Number(f.birth);
    return { full_name: name, ...s, birth_year: /^\d{4}$/.test(f.birth.trim()) ? y : null };
  }
  const id = f.id_number.trim() || null;
  const phone = f.phone.trim() || null;
  if (!id && !phone) return null;
  const b = parseBirthText(f.birth);
  const birth_year = typeof b === 'number' ? b : typeof b === 'string' && b !== 'invalid' ? Number(b.slice(0, 4)) : null;
  return { full_name: name, id_number: id, phone, birth_year };
}

export function PaperEntry() {
  const station = useStation();
  const now = new Date();
  const [mode, setMode] = useState<Mode>('declaration');
  const [dateText, setDateText] = useState(formatDate(now));
  const [timeText, setTimeText] = useState(localHm(now));
  const [direction, setDirection] = useState<Direction | 'none'>('none');
  const [visitDirection, setVisitDirection] = useState<Direction>('in');
  const [form, setForm] = useState<PaperForm>(() => ({ ...blank(), full_name: station.paperPrefill.value ?? '' }));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [personErrors, setPersonErrors] = useState<PersonProblems>({});
  const [dateError, setDateError] = useState<string | null>(null);
  const [timeError, setTimeError] = useState<string | null>(null);
  const [sameDay, setSameDay] = useState<SameDayRecord[]>([]);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [count, setCount] = useState(0);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const byField = errorsByField(errors);
  const err = (field: string) => {
    const e = byField.get(field);
    return e ? fieldErrorText(e, lang.value) : null;
  };
  const set = <K extends keyof PaperForm>(k: K, v: PaperForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    const field = PAPER_ERROR_FIELD[k];
    setErrors((es) => (es.some((e) => e.field.startsWith(field)) ? es.filter((e) => !e.field.startsWith(field)) : es));
    const person = PERSON_FIELD[k];
    if (person) setPersonErrors((p) => (p[person] ? { ...p, [person]: undefined } : p));
  };
  const isoDate = parseDateInput(dateText);
  const venue = station.venueName.value;

  useEffect(() => {
    station.paperPrefill.value = null;
    nameRef.current?.focus();
  }, []);

  // Same person, same day: ask once name + ID/phone are typed (debounced).
  const person = personOf(mode, form);
  const personKey = person && isoDate ? JSON.stringify([person.full_name, person.id_number, person.phone, isoDate]) : '';
  useEffect(() => {
    if (!person || !isoDate) {
      setSameDay([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      station.backend.same_day({ person, date: isoDate }).then(
        (r) => live && setSameDay(r),
        () => live && setSameDay([]),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [personKey]);

  const personMsg = (p: PersonProblems[keyof PersonProblems]) => personProblemText(p, now.getFullYear());

  const writtenAt = (): string | null => {
    const d = parseDateInput(dateText);
    const tm = parseTimeInput(timeText);
    setDateError(d ? null : t('paper.errDate'));
    setTimeError(tm ? null : t('paper.errTime'));
    // The paper's date and time come first: a wrong one takes the focus.
    const focus = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);
    if (!d || !tm) {
      focus(!d ? 'p-date' : 'p-time');
      return null;
    }
    const at = localRfc3339(d, tm);
    if (new Date(at).getTime() > Date.now() + 5 * 60_000) {
      setDateError(t('paper.errDateFuture'));
      focus('p-date');
      return null;
    }
    return at;
  };

  const afterSave = (name: string, level: Level, same: number) => {
    setSaved({ name, level, sameDay: same, seq: count + 1 });
    setCount((c) => c + 1);
    setForm(blank());
    setErrors([]);
    setPersonErrors({});
    setSameDay([]);
    setTimeout(() => nameRef.current?.focus(), 0);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const at = writtenAt();
    if (mode === 'visit') {
      const r = typedPerson(form.full_name, form.idOrPhone, form.birth, now.getFullYear());
      setPersonErrors(r.problems);
      if (!r.person || !at) return;
      setBusy(true);
      try {
        const a = await station.backend.paper_visit({ input: { person: r.person, written_at: at, direction: visitDirection } });
        afterSave(r.person.full_name, a.status === 'recorded' ? a.verdict.level : 'amber', sameDay.length);
      } catch (x) {
        const ce = toCommandError(x);
        if (ce.code === 'invalid_person' && ce.fields?.length) setPersonErrors(personProblemsOf(ce.fields));
        else if (ce.code === 'time_in_future') setDateError(t('paper.errDateFuture'));
        else station.fail(ce);
      } finally {
        setBusy(false);
      }
      return;
    }
    const r = draftToDeclaration(
      {
        full_name: form.full_name,
        id_number: form.id_number,
        birth: parseBirthText(form.birth),
        gender: form.gender,
        nationality: form.nationality,
        phone: form.phone,
        email: form.email,
        address: { ...form.address, street: form.street },
        places: form.places.split(/[,;\n]/),
        symptoms: form.symptoms,
        exposures: form.exposures,
        consent: form.signed,
      },
      isoDate ?? localIsoDate(now),
    );
    setErrors(r.errors);
    if (!r.declaration || !at) {
      if (at) setTimeout(() => focusFirstError(formRef.current, r.errors), 0);
      return;
    }
    setBusy(true);
    try {
      const d = await station.backend.paper_declare({
        input: { declaration: r.declaration, written_at: at, direction: direction === 'none' ? null : direction },
      });
      afterSave(r.declaration.full_name, d.verdict.level, d.same_day.length);
      if (d.same_day.length) toast(t('paper.sameDayAfter', { n: d.same_day.length }), 'warn');
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.code === 'invalid_declaration' && ce.fields?.length) {
        setErrors(ce.fields);
        setTimeout(() => focusFirstError(formRef.current, ce.fields ?? []), 0);
      } else if (ce.code === 'time_in_future') setDateError(t('paper.errDateFuture'));
      else station.fail(ce);
    } finally {
      setBusy(false);
    }
  };

  // Enter on a checkbox or radio saves too (browsers only submit from text fields).
  const onKeyDown = (e: KeyboardEvent) => {
    const el = e.target as HTMLInputElement;
    if (e.key === 'Enter' && el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) {
      e.preventDefault();
      formRef.current?.requestSubmit();
    }
  };

  return (
    <div class="paper">
      <div class="screen-head">
        <h1>{t('paper.title')}</h1>
        <div class="seg" role="group" data-testid="paper-mode">
          {(['declaration', 'visit'] as const).map((m) => (
            <button
              type="button"
              key={m}
              class="seg-btn"
              data-mode={m}
              aria-pressed={mode === m}
              onClick={() => {
                setMode(m);
                setErrors([]);
                setPersonErrors({});
                setTimeout(() => nameRef.current?.focus(), 0);
              }}
            >
              {m === 'declaration' ? t('paper.modeDecl') : t('paper.modeVisit')}
            </button>
          ))}
        </div>
        <p class="muted small paper-keys">{t('paper.keys')}</p>
      </div>

      {saved && (
        <div class="notice notice-ok" role="status" data-testid="paper-saved" data-level={saved.level} key={saved.seq}>
          <strong>{t('paper.saved', { name: saved.name })}</strong>
          <span class={`tag tag-${saved.level}`}>{t('paper.savedLevel', { level: t(`level.${saved.level}`) })}</span>{' '}
          <span class="muted">{t('paper.count', { n: formatNumber(count, lang.value) })}</span>
          {saved.sameDay > 0 && <p>{t('paper.sameDayAfter', { n: saved.sameDay })}</p>}
        </div>
      )}

      <form ref={formRef} class="card paper-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <div class="paper-grid paper-when">
          <TextField id="p-date" name="written_date" label={t('paper.date')} required value={dateText} onValue={(v) => { setDateText(v); setDateError(null); }} error={dateError} hint={t('paper.dateHint')} inputMode="numeric" maxLength={10} />
          <TextField id="p-time" name="written_time" label={t('paper.time')} required value={timeText} onValue={(v) => { setTimeText(v); setTimeError(null); }} error={timeError} hint={t('paper.timeHint')} inputMode="numeric" maxLength={5} />
          <div class="field">
            <span class="field-label">{t('paper.venue')}</span>
            <div class={venue ? 'venue-box' : 'notice notice-warn inline'}>{venue ?? t('paper.noVenue')}</div>
          </div>
          {mode === 'declaration' ? (
            <ChoiceGroup<Direction | 'none'>
              class="paper-direction"
              id="p-direction"
              label={t('paper.direction')}
              value={direction}
              onValue={setDirection}
              options={[
                { value: 'none', label: t('paper.directionNone') },
                { value: 'in', label: t('dir.in') },
                { value: 'out', label: t('dir.out') },
              ]}
            />
          ) : (
            <ChoiceGroup<Direction>
              class="paper-direction"
              id="p-direction"
              label={t('paper.direction')}
              required
              value={visitDirection}
              onValue={setVisitDirection}
              options={[
                { value: 'in', label: t('dir.in') },
                { value: 'out', label: t('dir.out') },
              ]}
            />
          )}
        </div>
        <hr />
        {mode === 'visit' ? (
          <div class="paper-grid">
            <TextField id="p-name" name="full_name" label={t('person.name')} required inputRef={nameRef} value={form.full_name} onValue={(v) => set('full_name', v)} error={personMsg(personErrors.name)} autoCapitalize="words" />
            <TextField id="p-idphone" name="id_or_phone" label={t('paper.idOrPhone')} value={form.idOrPhone} onValue={(v) => set('idOrPhone', v)} error={personMsg(personErrors.idOrPhone)} />
            <TextField id="p-birth" name="birth_year" label={t('person.birthYear')} optional value={form.birth} onValue={(v) => set('birth', v)} error={personMsg(personErrors.birthYear)} inputMode="numeric" maxLength={4} />
          </div>
        ) : (
          <>
            <div class="paper-grid">
              <TextField id="p-name" name="full_name" label={t('field.full_name')} required inputRef={nameRef} value={form.full_name} onValue={(v) => set('full_name', v)} error={err('full_name')} autoCapitalize="words" />
              <TextField id="p-id" name="id_number" label={t('field.id_number')} optional value={form.id_number} onValue={(v) => set('id_number', v)} error={err('id_number')} />
              <TextField id="p-birth" name="birth" label={t('field.birthText')} required value={form.birth} onValue={(v) => set('birth', v)} error={err('birth')} placeholder="15/08/1990" />
              <ChoiceGroup<Gender>
                id="p-gender"
                name="gender"
                label={t('field.gender')}
                required
                value={form.gender}
                onValue={(v) => set('gender', v)}
                error={err('gender')}
                options={genderOptions()}
              />
              <TextField id="p-phone" name="phone" type="tel" label={t('field.phone')} required value={form.phone} onValue={(v) => set('phone', v)} error={err('phone')} />
              <TextField id="p-nationality" name="nationality" label={t('field.nationalityCode')} required value={form.nationality} onValue={(v) => set('nationality', v.toUpperCase())} error={err('nationality')} maxLength={2} />
              <TextField id="p-email" name="email" type="email" label={t('field.email')} optional value={form.email} onValue={(v) => set('email', v)} error={err('email')} />
            </div>
            <UnitPicker
              idPrefix="p-addr"
              value={form.address}
              onChange={(a) => set('address', a)}
              load={station.loadUnits}
              required
              showCodes
              errors={{ province: err('address.province_code'), district: err('address.district_code'), commune: err('address.commune_code') }}
              onDone={() => document.getElementById('p-street')?.focus()}
            />
            <div class="paper-grid">
              <TextField id="p-street" name="address.street" label={t('field.street')} optional value={form.street} onValue={(v) => set('street', v)} error={err('address.street')} />
              <TextField id="p-places" name="places_visited" label={t('field.placesComma')} optional value={form.places} onValue={(v) => set('places', v)} error={err('places_visited')} />
            </div>
            <div class="paper-checks">
              <Field id="p-symptoms" label={t('kiosk.sec.symptoms')} name="symptoms">
                <div class="tiles compact" id="p-symptoms">
                  {SYMPTOMS.map((s) => (
                    <CheckTile key={s} name={`symptom-${s}`} checked={form.symptoms[s]} onValue={(v) => set('symptoms', { ...form.symptoms, [s]: v })}>
                      {t(`symptom.${s}`)}
                    </CheckTile>
                  ))}
                </div>
              </Field>
              <Field id="p-exposures" label={t('field.exposures')} name="exposures">
                <div class="tiles compact stack" id="p-exposures">
                  {EXPOSURES.map((x) => (
                    <CheckTile key={x} name={`exposure-${x}`} checked={form.exposures[x]} onValue={(v) => set('exposures', { ...form.exposures, [x]: v })}>
                      {t(`exposureShort.${x}`)}
                    </CheckTile>
                  ))}
                </div>
              </Field>
            </div>
            <div class={`field ${err('consent') ? 'has-error' : ''}`} data-field="consent">
              <CheckTile id="p-signed" name="consent" checked={form.signed} invalid={!!err('consent')} onValue={(v) => set('signed', v)}>
                {t('paper.signed')}
              </CheckTile>
              <FieldErrorText id="p-signed" error={err('consent')} />
            </div>
          </>
        )}

        <div class="submit-bar">
          {sameDay.length > 0 && (
            <div class="notice notice-warn" role="alert" data-testid="same-day">
              <strong>{t('paper.sameDayTitle')}</strong>
              <ul>
                {sameDay.map((r) => (
                  <li key={r.record_id}>
                    {t('paper.sameDayLine', {
                      kind: t(`recordKind.${r.kind}`),
                      source: t(`source.${r.source}`),
                      time: formatTime(r.at),
                      name: r.name,
                    })}
                  </li>
                ))}
              </ul>
              <p>{t('paper.sameDayHint')}</p>
            </div>
          )}
          <button type="submit" class="btn btn-lg btn-block" disabled={busy} data-testid="paper-submit">
            {busy ? t('common.saving') : t('paper.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}

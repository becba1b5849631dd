// The fields of the domestic health declaration ("tờ khai y tế nội địa"),
// shared by the station's kiosk and the citizen's phone page so both ask the
// same questions in the same words. The caller keeps the state and errors.
//
// Stable hooks for end-to-end tests: fields wrapped in [data-field=<Declaration
// key>] (e.g. "phone", "address.commune_code", "exposures.person_with_symptoms",
// "consent"); control ids are `${idPrefix}-name`, `-id`, `-birth-day`,
// `-birth-month`, `-birth`, `-gender`, `-nationality`, `-phone`, `-email`,
// `-addr-*`, `-street`, `-place`, `-consent`.
import { useMemo, useState } from 'preact/hooks';
import type { FieldError, Gender } from '../gen';
import { lang, t } from '../i18n';
import { EXPOSURES, SYMPTOMS } from '../declaration';
import { COUNTRIES, ERROR_FIELD, type DeclarationFormState } from '../declaration-form';
import { errorsByField, fieldErrorText } from '../field-errors';
import { ChoiceGroup, CheckTile, Field, FieldErrorText, TextField, describedBy, type ChoiceOption } from './Field';
import { UnitPicker, type LoadUnits } from './UnitPicker';
import './declaration-fields.css';

/** Country name in the UI language (Intl), or the code. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The form's state and its field errors (kiosk and phone): a field's error
 * goes away when the value it answers changes.
 */
export function useDeclarationForm(initial: () => DeclarationFormState) {
  const [form, setForm] = useState<DeclarationFormState>(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const byField = errorsByField(errors);
  const err = (field: string) => {
    const e = byField.get(field);
    return e ? fieldErrorText(e, lang.value) : null;
  };
  const clearError = (field: string) =>
    setErrors((es) => (es.some((e) => e.field.startsWith(field)) ? es.filter((e) => !e.field.startsWith(field)) : es));
  const set = <K extends keyof DeclarationFormState>(k: K, v: DeclarationFormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (k !== 'exposures') clearError(ERROR_FIELD[k]);
  };
  return { form, setForm, errors, setErrors, byField, err, clearError, set };
}

/** The three answers to "Giới tính", in the form's language. */
export function genderOptions(): ChoiceOption<Gender>[] {
  return [
    { value: 'male', label: t('gender.male') },
    { value: 'female', label: t('gender.female') },
    { value: 'other', label: t('gender.other') },
  ];
}

export interface DeclarationFieldsProps {
  idPrefix: string;
  form: DeclarationFormState;
  set: <K extends keyof DeclarationFormState>(k: K, v: DeclarationFormState[K]) => void;
  /** The error text of a field (a Declaration key), or null. */
  err: (field: string) => string | null;
  clearError: (field: string) => void;
  loadUnits: LoadUnits;
}

export function DeclarationFields({ idPrefix: p, form, set, err, clearError, loadUnits }: DeclarationFieldsProps) {
  const countries = useMemo(() => {
    const rest = COUNTRIES.slice(1)
      .map((c) => ({ code: c, name: countryName(c, lang.value) }))
      .sort((a, b) => a.name.localeCompare(b.name, lang.value));
    return [{ code: 'VN', name: countryName('VN', lang.value) }, ...rest];
  }, [lang.value]);

  const addPlace = () => {
    const place = form.placeDraft.trim();
    if (!place) return;
    set('places', [...form.places, place]);
    set('placeDraft', '');
  };

  return (
    <>
    <section class="card form-section">
      <h2>{t('kiosk.sec.identity')}</h2>
      <p class="muted small">{t('kiosk.required')}</p>
      <TextField id={`${p}-name`} name="full_name" label={t('field.full_name')} required value={form.full_name} onValue={(v) => set('full_name', v)} error={err('full_name')} autoCapitalize="words" autoComplete="name" />
      <TextField id={`${p}-id`} name="id_number" label={t('field.id_number')} optional value={form.id_number} onValue={(v) => set('id_number', v)} error={err('id_number')} inputMode="text" />
      <fieldset class={`field ${err('birth') ? 'has-error' : ''}`} data-field="birth" aria-describedby={describedBy(`${p}-birth`, true, err('birth'))}>
        <legend class="field-label">
          {t('field.birth')}
          <span class="req" aria-hidden="true">
            {' *'}
          </span>
        </legend>
        <div class="birth-row">
          <label>
            <span>{t('field.birthDay')}</span>
            <input id={`${p}-birth-day`} class="input" inputMode="numeric" maxLength={2} placeholder="dd" value={form.birthDay} onInput={(e) => set('birthDay', e.currentTarget.value)} />
          </label>
          <label>
            <span>{t('field.birthMonth')}</span>
            <input id={`${p}-birth-month`} class="input" inputMode="numeric" maxLength={2} placeholder="mm" value={form.birthMonth} onInput={(e) => set('birthMonth', e.currentTarget.value)} />
          </label>
          <label class="birth-year">
            <span>
              {t('field.birthYear')}
              <span class="req" aria-hidden="true">
                {' *'}
              </span>
            </span>
            <input id={`${p}-birth`} class="input" inputMode="numeric" maxLength={4} placeholder="yyyy" value={form.birthYear} aria-invalid={err('birth') ? true : undefined} onInput={(e) => set('birthYear', e.currentTarget.value)} />
          </label>
        </div>
        <div class="field-hint" id={`${p}-birth-hint`}>
          {t('field.birthHint')}
        </div>
        <FieldErrorText id={`${p}-birth`} error={err('birth')} />
      </fieldset>
      <ChoiceGroup<Gender>
        id={`${p}-gender`}
        name="gender"
        label={t('field.gender')}
        required
        value={form.gender}
        onValue={(v) => set('gender', v)}
        error={err('gender')}
        options={genderOptions()}
      />
      <div class="field-row">
        <Field id={`${p}-nationality`} name="nationality" label={t('field.nationality')} required error={form.nationality === 'other' ? null : err('nationality')}>
          <select id={`${p}-nationality`} value={form.nationality} onChange={(e) => set('nationality', e.currentTarget.value)}>
            {countries.map((c) => (
              <option value={c.code} key={c.code}>
                {c.name}
              </option>
            ))}
            <option value="other">{t('field.otherCountry')}</option>
          </select>
        </Field>
        {form.nationality === 'other' && (
          <TextField id={`${p}-nationality-other`} name="nationality" label={t('field.nationalityOther')} required value={form.nationalityOther} onValue={(v) => set('nationalityOther', v.toUpperCase())} error={err('nationality')} maxLength={2} placeholder="VN" />
        )}
      </div>
    </section>

    <section class="card form-section">
      <h2>{t('kiosk.sec.contact')}</h2>
      <div class="field-row">
        <TextField id={`${p}-phone`} name="phone" type="tel" inputMode="tel" label={t('field.phone')} required value={form.phone} onValue={(v) => set('phone', v)} error={err('phone')} autoComplete="tel" placeholder="0912345678" />
        <TextField id={`${p}-email`} name="email" type="email" inputMode="email" label={t('field.email')} optional value={form.email} onValue={(v) => set('email', v)} error={err('email')} autoComplete="email" />
      </div>
    </section>

    <section class="card form-section">
      <h2>{t('kiosk.sec.address')}</h2>
      <UnitPicker
        idPrefix={`${p}-addr`}
        value={form.address}
        onChange={(a) => set('address', a)}
        load={loadUnits}
        required
        errors={{ province: err('address.province_code'), district: err('address.district_code'), commune: err('address.commune_code') }}
        onDone={() => document.getElementById(`${p}-street`)?.focus()}
      />
      <TextField id={`${p}-street`} name="address.street" label={t('field.street')} optional value={form.street} onValue={(v) => set('street', v)} error={err('address.street')} />
    </section>

    <section class="card form-section">
      <h2>{t('kiosk.sec.places')}</h2>
      <div class={`field ${err('places_visited') ? 'has-error' : ''}`} data-field="places_visited">
        <label for={`${p}-place`}>{t('field.places')}</label>
        <div class="inline-add">
          <input
            id={`${p}-place`}
            class="input"
            value={form.placeDraft}
            aria-describedby={describedBy(`${p}-place`, true, err('places_visited'))}
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
        <div class="field-hint" id={`${p}-place-hint`}>
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
        <FieldErrorText id={`${p}-place`} error={err('places_visited')} />
      </div>
    </section>

    <section class="card form-section">
      <h2 id={`${p}-symptoms-title`}>{t('kiosk.sec.symptoms')}</h2>
      <p class="muted">{t('field.symptomsHint')}</p>
      <div class="tiles" role="group" aria-labelledby={`${p}-symptoms-title`} data-field="symptoms">
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
          id={`${p}-exp-${x}`}
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
        <CheckTile id={`${p}-consent`} name="consent" checked={form.consent} invalid={!!err('consent')} describedBy={describedBy(`${p}-consent`, false, err('consent'))} onValue={(v) => set('consent', v)}>
          {t('field.consent')}
        </CheckTile>
        <FieldErrorText id={`${p}-consent`} error={err('consent')} />
      </div>
    </section>
    </>
  );
}

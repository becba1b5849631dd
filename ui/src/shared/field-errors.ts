// FieldError (from the backend or the form's own checks) -> a message that
// says how to fix the value, in the UI language.
import type { FieldError, Language } from './gen';
import type { PersonProblem } from './declaration';
import { lang, translate } from './i18n';

/** The message for one invalid field. */
export function fieldErrorText(e: FieldError, language: Language = lang.value): string {
  const tr = translate.bind(null, language) as (key: string, args?: unknown) => string;
  const p = e.problem;
  const field = e.field.startsWith('exposures.') ? 'exposures' : e.field;
  switch (field) {
    case 'full_name':
      if (p.problem === 'missing') return tr('err.full_name.missing');
      if (p.problem === 'too_long') return tr('err.full_name.too_long', { max: p.max });
      break;
    case 'id_number':
      return tr('err.id_number.format');
    case 'birth':
      if (p.problem === 'missing') return tr('err.birth.missing');
      if (p.problem === 'format') return tr('err.birth.format');
      if (p.problem === 'out_of_range') return tr(/future/i.test(p.detail) ? 'err.birth.future' : 'err.birth.too_old');
      break;
    case 'gender':
      return tr('err.gender.missing');
    case 'nationality':
      return tr(p.problem === 'missing' ? 'err.nationality.missing' : 'err.nationality.format');
    case 'phone':
      return tr(p.problem === 'missing' ? 'err.phone.missing' : 'err.phone.format');
    case 'email':
      if (p.problem === 'too_long') return tr('err.email.too_long', { max: p.max });
      return tr('err.email.format');
    case 'address.province_code':
      return tr(p.problem === 'missing' ? 'err.province.missing' : 'err.province.format');
    case 'address.district_code':
      return tr(p.problem === 'missing' ? 'err.district.missing' : 'err.district.format');
    case 'address.commune_code':
      return tr(p.problem === 'missing' ? 'err.commune.missing' : 'err.commune.format');
    case 'address.street':
      if (p.problem === 'too_long') return tr('err.street.too_long', { max: p.max });
      break;
    case 'places_visited':
      if (p.problem === 'too_long') return tr('err.places.too_long', { max: p.max });
      return tr('err.places.too_many');
    case 'consent':
      return tr('err.consent.required');
    case 'exposures':
      return tr('err.exposure.missing');
  }
  switch (p.problem) {
    case 'missing':
      return tr('err.generic.missing');
    case 'too_long':
      return tr('err.generic.too_long', { max: p.max });
    case 'format':
      return tr('err.generic.format');
    case 'out_of_range':
      return tr('err.generic.out_of_range');
    case 'consent_required':
      return tr('err.generic.consent_required');
  }
}

/** The first error of each field, by field name (a form shows one message per field). */
export function errorsByField(list: readonly FieldError[]): Map<string, FieldError> {
  const m = new Map<string, FieldError>();
  for (const e of list) if (!m.has(e.field)) m.set(e.field, e);
  return m;
}

/** The message for a typed person's problem (manual entry, logbook lines, quarantine). */
export function personProblemText(p: PersonProblem | undefined, thisYear: number, language: Language = lang.value): string | null {
  if (p === undefined) return null;
  if (p === 'birthYearFormat') return translate(language, 'manual.birthYearFormat', { min: thisYear - 130, max: thisYear });
  return translate(language, `manual.${p}`);
}

// The declaration rules of checkin-core (crates/core/src/declaration.rs and
// person.rs), ported so the form can say what is wrong before sending and the
// fake backend answers like the real one. The Rust side stays the authority.
import type { Declaration, Exposures, FieldError, Problem, Symptoms, TypedPerson } from './gen';

export const MAX_TEXT = 200;

export const SYMPTOMS = [
  'fever',
  'cough',
  'shortness_of_breath',
  'pneumonia',
  'sore_throat',
  'fatigue',
] as const satisfies readonly (keyof Symptoms)[];

export const EXPOSURES = [
  'confirmed_or_suspected_case',
  'person_from_affected_area',
  'person_with_symptoms',
] as const satisfies readonly (keyof Exposures)[];

export function noSymptoms(): Symptoms {
  return { fever: false, cough: false, shortness_of_breath: false, pneumonia: false, sore_throat: false, fatigue: false };
}

export function noExposures(): Exposures {
  return { confirmed_or_suspected_case: false, person_from_affected_area: false, person_with_symptoms: false };
}

/** `normalise_id_number`: letters and digits, upper case; null when shorter than 6. */
export function normaliseIdNumber(s: string): string | null {
  const n = s.replace(/[^0-9a-z]/gi, '').toUpperCase();
  return n.length >= 6 ? n : null;
}

/** `normalise_phone`: national form 0xxxxxxxxx; foreign numbers keep "+"; null when implausible. */
export function normalisePhone(raw: string): string | null {
  const s = raw.trim();
  if (/[^0-9 .\-()+]/.test(s)) return null;
  const plus = s.startsWith('+');
  const digits = s.replace(/\D/g, '');
  let national: string;
  const rest = digits.startsWith('84') ? digits.slice(2) : null;
  if (rest !== null && rest.length === 9 && (plus || !digits.startsWith('0'))) national = `0${rest}`;
  else if (plus) national = `+${digits}`;
  else national = digits;
  const len = national.replace(/^\+/, '').length;
  return len >= 8 && len <= 15 ? national : null;
}

function birthYear(b: Declaration['birth']): number {
  return typeof b === 'number' ? b : Number(b.slice(0, 4));
}

/**
 * `Declaration::validate`: every invalid field, in the order Rust reports them.
 * `today` is "YYYY-MM-DD".
 */
export function validateDeclaration(d: Declaration, today: string): FieldError[] {
  const errs: FieldError[] = [];
  const bad = (field: string, problem: Problem) => errs.push({ field, problem });
  const text = (field: string, v: string, required: boolean) => {
    if (required && v.trim() === '') bad(field, { problem: 'missing' });
    else if ([...v].length > MAX_TEXT) bad(field, { problem: 'too_long', max: MAX_TEXT });
  };
  const code = (field: string, v: string, digits: number) => {
    if (v === '') bad(field, { problem: 'missing' });
    else if (v.length !== digits || !/^\d+$/.test(v))
      bad(field, { problem: 'format', expected: `a ${digits}-digit GSO code` });
  };

  text('full_name', d.full_name, true);
  if (d.id_number !== null && d.id_number.trim() !== '') {
    const n = normaliseIdNumber(d.id_number);
    if (n === null || n.length > 20)
      bad('id_number', {
        problem: 'format',
        expected: 'an ID card or passport number of 6 to 20 letters and digits',
      });
  }
  const thisYear = Number(today.slice(0, 4));
  const future = typeof d.birth === 'number' ? d.birth > thisYear : d.birth > today;
  if (future) bad('birth', { problem: 'out_of_range', detail: 'is in the future' });
  else if (birthYear(d.birth) < thisYear - 130)
    bad('birth', { problem: 'out_of_range', detail: 'is more than 130 years ago' });
  const nat = d.nationality.trim();
  if (nat === '') bad('nationality', { problem: 'missing' });
  else if (!/^[A-Z]{2}$/.test(nat))
    bad('nationality', { problem: 'format', expected: 'a two-letter country code such as VN' });
  if (d.phone.trim() === '') bad('phone', { problem: 'missing' });
  else if (normalisePhone(d.phone) === null)
    bad('phone', { problem: 'format', expected: 'a phone number of 8 to 15 digits' });
  const email = d.email?.trim() ?? '';
  if (email !== '') {
    const at = email.indexOf('@');
    const user = at > 0 ? email.slice(0, at) : '';
    const domain = at > 0 ? email.slice(at + 1) : '';
    const ok =
      email.length <= MAX_TEXT &&
      user !== '' &&
      domain.includes('.') &&
      !domain.startsWith('.') &&
      !domain.endsWith('.') &&
      !/\s/.test(email);
    if (!ok) bad('email', { problem: 'format', expected: 'an e-mail address like name@example.vn' });
  }
  code('address.province_code', d.address.province_code, 2);
  code('address.district_code', d.address.district_code, 3);
  code('address.commune_code', d.address.commune_code, 5);
  text('address.street', d.address.street, false);
  if (d.places_visited.length > 50)
    bad('places_visited', { problem: 'out_of_range', detail: 'lists more than 50 places' });
  if (d.places_visited.some((p) => [...p].length > MAX_TEXT))
    bad('places_visited', { problem: 'too_long', max: MAX_TEXT });
  if (!d.consent) bad('consent', { problem: 'consent_required' });
  return errs;
}

/** Which of id number / phone a typed "ID or phone" value is. */
export function splitIdOrPhone(raw: string): { id_number: string | null; phone: string | null } {
  const s = raw.trim();
  if (s === '') return { id_number: null, phone: null };
  const compact = s.replace(/[\s.\-()]/g, '');
  // CMND (9 digits) and CCCD (12 digits) are ID numbers; Vietnamese phone
  // numbers have 10 or 11 digits after a leading 0 (or +84 / 84).
  if (/^\d{9}$/.test(compact) || /^\d{12}$/.test(compact)) return { id_number: compact, phone: null };
  if (/[a-z]/i.test(compact)) return { id_number: compact.toUpperCase(), phone: null };
  return { id_number: null, phone: compact };
}

/** Problems of a typed person (manual entry, logbook lines, quarantine): field -> message key. */
export type PersonProblem = 'nameMissing' | 'idOrPhoneMissing' | 'idOrPhoneFormat' | 'birthYearFormat';
export type PersonProblems = Partial<Record<'name' | 'idOrPhone' | 'birthYear', PersonProblem>>;

/**
 * Builds a TypedPerson from the three typed values, or the problems per field
 * (`TypedPerson::validate`: a name, and an ID number, phone or birth year to
 * tell people of the same name apart).
 */
export function typedPerson(
  name: string,
  idOrPhone: string,
  birthYearText: string,
  thisYear: number,
): { person: TypedPerson | null; problems: PersonProblems } {
  const problems: PersonProblems = {};
  if (name.trim() === '') problems.name = 'nameMissing';
  else if ([...name.trim()].length > MAX_TEXT) problems.name = 'nameMissing';
  const split = splitIdOrPhone(idOrPhone);
  if (split.id_number !== null && (normaliseIdNumber(split.id_number) === null || split.id_number.length > 20))
    problems.idOrPhone = 'idOrPhoneFormat';
  else if (split.phone !== null && normalisePhone(split.phone) === null) problems.idOrPhone = 'idOrPhoneFormat';
  let birth_year: number | null = null;
  const by = birthYearText.trim();
  if (by !== '') {
    const y = Number(by);
    if (!/^\d{4}$/.test(by) || y < thisYear - 130 || y > thisYear) problems.birthYear = 'birthYearFormat';
    else birth_year = y;
  }
  if (split.id_number === null && split.phone === null && by === '') problems.idOrPhone = 'idOrPhoneMissing';
  if (Object.keys(problems).length > 0) return { person: null, problems };
  return {
    person: { full_name: name.trim(), id_number: split.id_number, phone: split.phone, birth_year },
    problems,
  };
}

/** The backend's person field errors (`invalid_person`) as the problems a person form shows. */
export function personProblemsOf(fields: readonly FieldError[]): PersonProblems {
  const out: PersonProblems = {};
  for (const f of fields) {
    if (f.field === 'full_name') out.name = 'nameMissing';
    else if (f.field === 'id_number' || f.field === 'phone')
      out.idOrPhone = f.problem.problem === 'missing' ? 'idOrPhoneMissing' : 'idOrPhoneFormat';
    else if (f.field === 'birth_year') out.birthYear = 'birthYearFormat';
  }
  return out;
}

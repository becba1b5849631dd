// From what a form holds to a Declaration: the checks a form can make before
// sending (birth date written right, gender chosen, every exposure question
// answered) plus the backend's own rules (declaration.ts).
import type { Birth, Declaration, Exposures, FieldError, Gender, Symptoms } from './gen';
import { EXPOSURES, validateDeclaration } from './declaration';
import { parseDateInput } from './format';
import type { UnitCodes } from './components/UnitPicker';

/** A birth as typed: a date or year, 'invalid' when unreadable, null when empty. */
export type BirthInput = Birth | 'invalid' | null;

/** Day, month and year boxes (day and month may be left empty). */
export function parseBirthParts(day: string, month: string, year: string): BirthInput {
  const d = day.trim();
  const m = month.trim();
  const y = year.trim();
  if (!d && !m && !y) return null;
  if (!/^\d{4}$/.test(y)) return 'invalid';
  if (!d && !m) return Number(y);
  if (!d || !m) return 'invalid';
  const iso = parseDateInput(`${d}/${m}/${y}`);
  return iso ?? 'invalid';
}

/** One box holding "15/08/1990" or "1990". */
export function parseBirthText(text: string): BirthInput {
  const s = text.trim();
  if (!s) return null;
  if (/^\d{4}$/.test(s)) return Number(s);
  const iso = parseDateInput(s);
  return iso && /^\d{4}/.test(iso) ? iso : 'invalid';
}

export interface DeclarationDraft {
  full_name: string;
  id_number: string;
  birth: BirthInput;
  gender: Gender | null;
  nationality: string;
  phone: string;
  email: string;
  address: UnitCodes & { street: string };
  places: string[];
  symptoms: Symptoms;
  /** null: question not answered yet. */
  exposures: Record<keyof Exposures, boolean | null>;
  consent: boolean;
}

/** Fields in the order the forms show them (the first error gets the focus). */
export const FIELD_ORDER = [
  'full_name',
  'id_number',
  'birth',
  'gender',
  'nationality',
  'phone',
  'email',
  'address.province_code',
  'address.district_code',
  'address.commune_code',
  'address.street',
  'places_visited',
  ...EXPOSURES.map((e) => `exposures.${e}`),
  'consent',
] as const;

function order(field: string): number {
  const i = (FIELD_ORDER as readonly string[]).indexOf(field);
  return i < 0 ? FIELD_ORDER.length : i;
}

/** The declaration to send, or every problem found (then `declaration` is null). */
export function draftToDeclaration(
  d: DeclarationDraft,
  today: string,
): { declaration: Declaration | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let birth: Birth = Number(today.slice(0, 4));
  if (d.birth === null) errors.push({ field: 'birth', problem: { problem: 'missing' } });
  else if (d.birth === 'invalid') errors.push({ field: 'birth', problem: { problem: 'format', expected: 'dd/mm/yyyy or yyyy' } });
  else birth = d.birth;
  if (d.gender === null) errors.push({ field: 'gender', problem: { problem: 'missing' } });
  for (const e of EXPOSURES)
    if (d.exposures[e] === null) errors.push({ field: `exposures.${e}`, problem: { problem: 'missing' } });
  const declaration: Declaration = {
    full_name: d.full_name.trim(),
    id_number: d.id_number.trim() === '' ? null : d.id_number.trim(),
    birth,
    gender: d.gender ?? 'other',
    nationality: d.nationality.trim().toUpperCase(),
    phone: d.phone.trim(),
    email: d.email.trim() === '' ? null : d.email.trim(),
    address: {
      province_code: d.address.province_code,
      district_code: d.address.district_code,
      commune_code: d.address.commune_code,
      street: d.address.street.trim(),
    },
    places_visited: d.places.map((p) => p.trim()).filter(Boolean),
    symptoms: { ...d.symptoms },
    exposures: {
      confirmed_or_suspected_case: d.exposures.confirmed_or_suspected_case === true,
      person_from_affected_area: d.exposures.person_from_affected_area === true,
      person_with_symptoms: d.exposures.person_with_symptoms === true,
    },
    consent: d.consent,
  };
  const rules = validateDeclaration(declaration, today).filter(
    (e) => !(e.field === 'birth' && errors.some((x) => x.field === 'birth')),
  );
  const all = [...errors, ...rules].sort((a, b) => order(a.field) - order(b.field));
  return { declaration: all.length ? null : declaration, errors: all };
}

/** Focuses and scrolls to the control of the first invalid field inside `root`. */
export function focusFirstError(root: ParentNode | null, errors: readonly FieldError[]): void {
  if (!root || errors.length === 0) return;
  const first = [...errors].sort((a, b) => order(a.field) - order(b.field))[0];
  const wrap = root.querySelector<HTMLElement>(`[data-field="${first.field}"]`);
  const control = wrap?.querySelector<HTMLElement>('input, select, textarea, button') ?? wrap;
  control?.focus?.();
  wrap?.scrollIntoView?.({ block: 'center' });
}

/** What the declaration form holds while it is filled in (kiosk and phone). */
export interface DeclarationFormState {
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
export const ERROR_FIELD: Record<keyof DeclarationFormState, string> = {
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

export function emptyDeclarationForm(): DeclarationFormState {
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
    address: { province_code: '', district_code: '', commune_code: '' },
    street: '',
    places: [],
    placeDraft: '',
    symptoms: { fever: false, cough: false, shortness_of_breath: false, pneumonia: false, sore_throat: false, fatigue: false },
    exposures: { confirmed_or_suspected_case: null, person_from_affected_area: null, person_with_symptoms: null },
    consent: false,
  };
}

/** The countries the nationality list offers by name (others are typed as a code). */
export const COUNTRIES = ['VN', 'CN', 'KR', 'JP', 'TW', 'US', 'LA', 'KH', 'TH', 'SG', 'MY', 'PH', 'ID', 'IN', 'RU', 'FR', 'DE', 'GB', 'AU'];

export function formToDraft(f: DeclarationFormState): DeclarationDraft {
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

/** The form showing a declaration made before (to confirm or update it). */
export function formFromDeclaration(d: Declaration): DeclarationFormState {
  const [y, m, day] = typeof d.birth === 'number' ? [String(d.birth), '', ''] : d.birth.split('-');
  const listed = COUNTRIES.includes(d.nationality);
  return {
    full_name: d.full_name,
    id_number: d.id_number ?? '',
    birthDay: day ?? '',
    birthMonth: m ?? '',
    birthYear: y ?? '',
    gender: d.gender,
    nationality: listed ? d.nationality : 'other',
    nationalityOther: listed ? '' : d.nationality,
    phone: d.phone,
    email: d.email ?? '',
    address: {
      province_code: d.address.province_code,
      district_code: d.address.district_code,
      commune_code: d.address.commune_code,
    },
    street: d.address.street,
    places: [...d.places_visited],
    placeDraft: '',
    symptoms: { ...d.symptoms },
    exposures: { ...d.exposures },
    consent: d.consent,
  };
}

export function isFormDirty(f: DeclarationFormState): boolean {
  return JSON.stringify(f) !== JSON.stringify(emptyDeclarationForm());
}

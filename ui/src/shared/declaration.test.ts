import { describe, expect, it } from 'vitest';
import { normaliseIdNumber, normalisePhone, personProblemsOf, splitIdOrPhone, typedPerson, noExposures, noSymptoms } from './declaration';
import { draftToDeclaration, parseBirthParts, parseBirthText, type DeclarationDraft } from './declaration-form';
import { parseEnrollCode, isServerUrl } from './enroll';
import { filterOptions, fold } from './text';
import { fitWidth, rgbaToLuma } from './webcam';

describe('people', () => {
  it('normalises phone numbers like checkin-core', () => {
    const table: [string, string | null][] = [
      ['0912345678', '0912345678'],
      ['0912 345 678', '0912345678'],
      ['+84 912 345 678', '0912345678'],
      ['84912345678', '0912345678'],
      ['(024) 3826.4567', '02438264567'],
      ['+1 415 555 0100', '+14155550100'],
      ['1234567', null],
      ['12ab', null],
      ['', null],
    ];
    for (const [s, want] of table) expect(normalisePhone(s), s).toBe(want);
    expect(normaliseIdNumber(' 001-098-012345 ')).toBe('001098012345');
    expect(normaliseIdNumber('B12')).toBeNull();
  });

  it('tells an ID number from a phone number', () => {
    expect(splitIdOrPhone('001098012345')).toEqual({ id_number: '001098012345', phone: null });
    expect(splitIdOrPhone('012345678')).toEqual({ id_number: '012345678', phone: null });
    expect(splitIdOrPhone('0912 345 678')).toEqual({ id_number: null, phone: '0912345678' });
    expect(splitIdOrPhone('c1234567')).toEqual({ id_number: 'C1234567', phone: null });
    expect(splitIdOrPhone('  ')).toEqual({ id_number: null, phone: null });
  });

  it('builds a typed person or says what is missing', () => {
    expect(typedPerson('An', '0912345678', '1990', 2021)).toEqual({
      person: { full_name: 'An', id_number: null, phone: '0912345678', birth_year: 1990 },
      problems: {},
    });
    expect(typedPerson('', '', '19x0', 2021).problems).toEqual({ name: 'nameMissing', birthYear: 'birthYearFormat' });
    expect(typedPerson('An', '', '', 2021).problems).toEqual({ idOrPhone: 'idOrPhoneMissing' });
    // A birth year alone tells people of the same name apart (TypedPerson::validate).
    expect(typedPerson('An', '', '1990', 2021).person).toEqual({ full_name: 'An', id_number: null, phone: null, birth_year: 1990 });
    expect(typedPerson('An', '', '1890', 2021).problems).toEqual({ birthYear: 'birthYearFormat' });
    expect(
      personProblemsOf([
        { field: 'full_name', problem: { problem: 'missing' } },
        { field: 'phone', problem: { problem: 'format', expected: 'x' } },
        { field: 'birth_year', problem: { problem: 'out_of_range', detail: 'x' } },
      ]),
    ).toEqual({ name: 'nameMissing', idOrPhone: 'idOrPhoneFormat', birthYear: 'birthYearFormat' });
    expect(typedPerson('An', '12', '', 2021).problems).toEqual({ idOrPhone: 'idOrPhoneFormat' });
    expect(typedPerson('An', '0912345678', '2030', 2021).problems).toEqual({ birthYear: 'birthYearFormat' });
  });
});

describe('declaration form', () => {
  const draft = (over: Partial<DeclarationDraft> = {}): DeclarationDraft => ({
    full_name: 'Nguyễn Thị Lan',
    id_number: '',
    birth: 1990,
    gender: 'female',
    nationality: 'vn',
    phone: '0912345678',
    email: '',
    address: { province_code: '01', district_code: '001', commune_code: '00004', street: ' 2 Trúc Bạch ' },
    places: ['Hải Phòng', ' '],
    symptoms: noSymptoms(),
    exposures: { confirmed_or_suspected_case: false, person_from_affected_area: false, person_with_symptoms: false },
    consent: true,
    ...over,
  });

  it('reads birth dates from boxes or one text', () => {
    expect(parseBirthParts('', '', '')).toBeNull();
    expect(parseBirthParts('', '', '1990')).toBe(1990);
    expect(parseBirthParts('15', '8', '1990')).toBe('1990-08-15');
    expect(parseBirthParts('15', '', '1990')).toBe('invalid');
    expect(parseBirthParts('31', '2', '1990')).toBe('invalid');
    expect(parseBirthParts('', '', '90')).toBe('invalid');
    expect(parseBirthText('15/08/1990')).toBe('1990-08-15');
    expect(parseBirthText('1990')).toBe(1990);
    expect(parseBirthText('')).toBeNull();
    expect(parseBirthText('15 tháng 8')).toBe('invalid');
  });

  it('builds the declaration (trimmed, nationality upper case, empty places dropped)', () => {
    const r = draftToDeclaration(draft(), '2021-11-24');
    expect(r.errors).toEqual([]);
    expect(r.declaration).toMatchObject({
      id_number: null,
      email: null,
      nationality: 'VN',
      address: { street: '2 Trúc Bạch' },
      places_visited: ['Hải Phòng'],
      exposures: noExposures(),
    });
  });

  it('adds the checks only a form can make, in form order', () => {
    const r = draftToDeclaration(
      draft({
        full_name: '',
        birth: 'invalid',
        gender: null,
        exposures: { confirmed_or_suspected_case: null, person_from_affected_area: false, person_with_symptoms: null },
        consent: false,
      }),
      '2021-11-24',
    );
    expect(r.declaration).toBeNull();
    expect(r.errors.map((e) => `${e.field}:${e.problem.problem}`)).toEqual([
      'full_name:missing',
      'birth:format',
      'gender:missing',
      'exposures.confirmed_or_suspected_case:missing',
      'exposures.person_with_symptoms:missing',
      'consent:consent_required',
    ]);
    expect(draftToDeclaration(draft({ birth: null }), '2021-11-24').errors.map((e) => e.field)).toEqual(['birth']);
    expect(draftToDeclaration(draft({ birth: '2022-01-01' }), '2021-11-24').errors[0].problem).toEqual({
      problem: 'out_of_range',
      detail: 'is in the future',
    });
  });
});

describe('small helpers', () => {
  it('reads enrollment codes', () => {
    expect(parseEnrollCode('CKE1:abc123XYZ@https://checkin.example.vn')).toEqual({
      code: 'CKE1:abc123XYZ@https://checkin.example.vn',
      token: 'abc123XYZ',
      url: 'https://checkin.example.vn',
    });
    expect(parseEnrollCode(' cke1:abc123XYZ ')).toEqual({ code: 'CKE1:abc123XYZ', token: 'abc123XYZ', url: null });
    expect(parseEnrollCode('Q7m2K9xPz4Tt8Lw3')).toEqual({ code: 'CKE1:Q7m2K9xPz4Tt8Lw3', token: 'Q7m2K9xPz4Tt8Lw3', url: null });
    expect(parseEnrollCode('not a code')).toBeNull();
    expect(parseEnrollCode('')).toBeNull();
    expect(isServerUrl('https://a.vn')).toBe(true);
    expect(isServerUrl('http://10.0.0.2:8080')).toBe(true);
    expect(isServerUrl('ftp://a.vn')).toBe(false);
    expect(isServerUrl('checkin.vn')).toBe(false);
  });

  it('finds units typed without diacritics, best matches first', () => {
    expect(fold('  Phường  Trúc Bạch ')).toBe('phuong truc bach');
    expect(fold('Thành phố Đà Nẵng')).toBe('thanh pho da nang');
    const units = [
      { value: '00001', label: 'Phường Phúc Xá' },
      { value: '00004', label: 'Phường Trúc Bạch' },
      { value: '00006', label: 'Phường Vĩnh Phúc' },
    ];
    expect(filterOptions(units, 'phuc').map((u) => u.value)).toEqual(['00001', '00006']);
    expect(filterOptions(units, 'truc b').map((u) => u.value)).toEqual(['00004']);
    expect(filterOptions(units, '0000').map((u) => u.value)).toEqual(['00001', '00004', '00006']);
    expect(filterOptions(units, '')).toHaveLength(3);
  });

  it('turns camera frames into luma at most 960 px wide', () => {
    expect(fitWidth(1280, 720)).toEqual([960, 540]);
    expect(fitWidth(640, 480)).toEqual([640, 480]);
    const px = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 255]);
    expect([...rgbaToLuma(px)]).toEqual([255, 0, 76, 149]);
  });
});

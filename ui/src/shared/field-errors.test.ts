import { describe, expect, it } from 'vitest';
import type { Declaration, FieldError } from './gen';
import { fieldErrorText, errorsByField } from './field-errors';
import { translate } from './i18n';
import { validateDeclaration } from './declaration';
import { deviceRefusal, errorAdvice, errorLine, knownErrorCode } from './errors';

const f = (field: string, problem: FieldError['problem']): FieldError => ({ field, problem });

describe('field error messages', () => {
  it('maps each field and problem to a message that says how to fix it', () => {
    const cases: [FieldError, string][] = [
      [f('full_name', { problem: 'missing' }), 'err.full_name.missing'],
      [f('id_number', { problem: 'format', expected: 'x' }), 'err.id_number.format'],
      [f('birth', { problem: 'missing' }), 'err.birth.missing'],
      [f('birth', { problem: 'out_of_range', detail: 'is in the future' }), 'err.birth.future'],
      [f('birth', { problem: 'out_of_range', detail: 'is more than 130 years ago' }), 'err.birth.too_old'],
      [f('gender', { problem: 'missing' }), 'err.gender.missing'],
      [f('nationality', { problem: 'format', expected: 'VN' }), 'err.nationality.format'],
      [f('phone', { problem: 'missing' }), 'err.phone.missing'],
      [f('phone', { problem: 'format', expected: 'a phone number of 8 to 15 digits' }), 'err.phone.format'],
      [f('email', { problem: 'format', expected: 'x' }), 'err.email.format'],
      [f('address.province_code', { problem: 'missing' }), 'err.province.missing'],
      [f('address.district_code', { problem: 'format', expected: 'x' }), 'err.district.format'],
      [f('address.commune_code', { problem: 'missing' }), 'err.commune.missing'],
      [f('places_visited', { problem: 'out_of_range', detail: 'lists more than 50 places' }), 'err.places.too_many'],
      [f('consent', { problem: 'consent_required' }), 'err.consent.required'],
      [f('exposures.person_with_symptoms', { problem: 'missing' }), 'err.exposure.missing'],
      [f('something_new', { problem: 'missing' }), 'err.generic.missing'],
      [f('something_new', { problem: 'format', expected: 'x' }), 'err.generic.format'],
    ];
    for (const language of ['vi', 'en'] as const)
      for (const [e, key] of cases)
        expect(fieldErrorText(e, language), `${e.field} ${e.problem.problem}`).toBe(translate(language, key as 'err.generic.missing'));
    expect(fieldErrorText(f('full_name', { problem: 'too_long', max: 200 }), 'vi')).toContain('200');
    expect(fieldErrorText(f('phone', { problem: 'format', expected: '' }), 'vi')).toBe(
      'Số điện thoại phải có từ 8 đến 15 chữ số, ví dụ 0912345678.',
    );
  });

  it('every error the declaration rules produce has a specific message', () => {
    const bad: Declaration = {
      full_name: '',
      id_number: '12',
      birth: 2999,
      gender: 'other',
      nationality: 'vn',
      phone: 'abc',
      email: 'x@',
      address: { province_code: '1', district_code: '', commune_code: 'abc', street: 'x'.repeat(201) },
      places_visited: Array.from({ length: 51 }, () => 'y'.repeat(201)),
      symptoms: { fever: false, cough: false, shortness_of_breath: false, pneumonia: false, sore_throat: false, fatigue: false },
      exposures: { confirmed_or_suspected_case: false, person_from_affected_area: false, person_with_symptoms: false },
      consent: false,
    };
    const errs = validateDeclaration(bad, '2021-11-24');
    expect(errs.map((e) => e.field)).toEqual([
      'full_name',
      'id_number',
      'birth',
      'nationality',
      'phone',
      'email',
      'address.province_code',
      'address.district_code',
      'address.commune_code',
      'address.street',
      'places_visited',
      'places_visited',
      'consent',
    ]);
    const tr = translate as (language: 'vi', key: string, args?: unknown) => string;
    const generic = ['missing', 'too_long', 'format', 'out_of_range', 'consent_required'].map((p) =>
      tr('vi', `err.generic.${p}`, { max: 200 }),
    );
    for (const e of errs) expect(generic).not.toContain(fieldErrorText(e, 'vi'));
    expect(errorsByField(errs).get('places_visited')?.problem.problem).toBe('out_of_range');
  });
});

describe('command errors', () => {
  it('say what happened and what to do, by code', () => {
    expect(errorAdvice('disk_full', 'vi')).toContain('Ổ đĩa đã đầy');
    expect(errorAdvice('store_busy', 'en')).toContain('Try again');
    expect(errorAdvice('brand_new_code', 'vi')).toBe(translate('vi', 'errc.unknown'));
    expect(knownErrorCode('not_enrolled')).toBe(true);
    expect(knownErrorCode('brand_new_code')).toBe(false);
    expect(knownErrorCode('title')).toBe(false);
    expect(errorLine({ code: 'server_unreachable', message: 'connect ECONNREFUSED' }, 'en')).toBe(
      translate('en', 'errc.server_unreachable'),
    );
    expect(errorLine({ code: 'weird', message: 'boom' }, 'en')).toBe(`${translate('en', 'errc.unknown')} (boom)`);
  });

  it('a revoked device is told apart, with what to do and that the records are kept', () => {
    expect(deviceRefusal({ phase: 'error', error_code: 'device_revoked' })).toBe('device_revoked');
    expect(deviceRefusal({ phase: 'error', error_code: 'credential_refused' })).toBe('credential_refused');
    expect(deviceRefusal({ phase: 'error', error_code: 'bad_server_url' })).toBeNull();
    expect(deviceRefusal({ phase: 'offline', error_code: 'server_unreachable' })).toBeNull();
    expect(deviceRefusal(null)).toBeNull();
    expect(knownErrorCode('device_revoked')).toBe(true);
    const vi = errorAdvice('device_revoked', 'vi');
    for (const says of ['thu hồi', 'mã đăng ký mới', 'đăng ký lại', 'vẫn được giữ']) expect(vi).toContain(says);
    const en = errorAdvice('device_revoked', 'en');
    for (const says of ['revoked', 'new enrollment code', 'enroll again', 'stay on this device']) expect(en).toContain(says);
  });
});

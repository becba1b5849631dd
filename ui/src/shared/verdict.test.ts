import { beforeEach, describe, expect, it } from 'vitest';
import type { Admission } from './gen';
import { describeAdmission, reasonText } from './verdict';
import { lang, translate } from './i18n';

const at = '2021-11-24T08:30:00+07:00';
const person = { name: 'NGUYỄN VĂN A', id_hint: '…2345', birth_year: 1998 };
const recorded = (level: 'green' | 'amber' | 'red', reasons: NonNullable<Extract<Admission, { status: 'recorded' }>['verdict']['reasons']> = [], direction: 'in' | 'out' = 'in'): Admission => ({
  status: 'recorded',
  checkin_id: 'c1',
  verdict: { level, reasons },
  person,
  kind: 'cccd',
  direction,
  at,
  pass: null,
});

describe('describeAdmission', () => {
  beforeEach(() => {
    lang.value = 'vi';
  });

  it('green lets in (and says exit recorded when leaving)', () => {
    const v = describeAdmission(recorded('green'))!;
    expect(v).toMatchObject({ level: 'green', tone: 'green', cue: 'green', title: 'ĐƯỢC VÀO', name: 'NGUYỄN VĂN A', actions: [] });
    expect(describeAdmission(recorded('green', [], 'out'))!.title).toBe('ĐÃ GHI NHẬN RA');
  });

  it('amber without a declaration today offers the kiosk and the paper form', () => {
    const v = describeAdmission(recorded('amber', [{ reason: 'no_declaration' }]))!;
    expect(v).toMatchObject({ level: 'amber', title: 'CHƯA KHAI BÁO Y TẾ HÔM NAY', actions: ['kiosk', 'paper'] });
    expect(v.reasons).toEqual(['Chưa có tờ khai y tế', translate('vi', 'gate.amberHint')]);
    const old = describeAdmission(recorded('amber', [{ reason: 'declaration_not_today', detail: '2021-11-23' }]))!;
    expect(old.reasons[0]).toBe('Tờ khai gần nhất là ngày 23/11/2021, không phải hôm nay');
    const cough = describeAdmission(recorded('amber', [{ reason: 'symptom', detail: 'cough' }]))!;
    expect(cough).toMatchObject({ title: 'CẦN KIỂM TRA THÊM', actions: [], reasons: ['Có triệu chứng: Ho'] });
  });

  it('red refers to health staff, with the reasons', () => {
    const v = describeAdmission(recorded('red', [{ reason: 'symptom', detail: 'fever' }, { reason: 'exposure', detail: 'confirmed_or_suspected_case' }]))!;
    expect(v.title).toBe('KHÔNG ĐƯỢC VÀO');
    expect(v.reasons).toEqual([
      'Có triệu chứng: Sốt',
      'Tiếp xúc với người bệnh hoặc nghi ngờ mắc COVID-19',
      translate('vi', 'gate.redHint'),
    ]);
    lang.value = 'en';
    expect(describeAdmission(recorded('red', [{ reason: 'in_quarantine', detail: '2021-12-01' }]))!.reasons[0]).toBe(
      'In quarantine until 01/12/2021',
    );
  });

  it('a vaccine passport: valid and within the rules, refused with why, or not verifiable here', () => {
    const cert = (level: 'green' | 'amber' | 'red', reasons: Parameters<typeof recorded>[1] = []): Admission => ({
      ...(recorded(level, reasons) as Extract<Admission, { status: 'recorded' }>),
      kind: 'dcc',
    });
    expect(describeAdmission(cert('green'))).toMatchObject({
      title: 'ĐƯỢC VÀO',
      detail: 'Chứng nhận COVID số của EU: hợp lệ, đạt yêu cầu của địa điểm',
      kind: 'dcc',
    });
    const expired = describeAdmission(cert('red', [{ reason: 'certificate_invalid', detail: 'expired' }]))!;
    expect(expired.title).toBe('KHÔNG ĐƯỢC VÀO');
    expect(expired.reasons).toEqual(['Chứng nhận đã hết hạn', translate('vi', 'gate.certificateRedHint')]);
    const early = describeAdmission(
      cert('red', [{ reason: 'certificate_rule', detail: { rule: 'vaccination_too_recent', counts_from: '2021-11-30' } }]),
    )!;
    expect(early.reasons[0]).toBe('Mũi cuối chưa đủ thời gian, được tính từ ngày 30/11/2021');
    const noList = describeAdmission(cert('amber', [{ reason: 'no_trust_list' }]))!;
    expect(noList).toMatchObject({ title: 'CẦN KIỂM TRA THÊM', actions: [] });
    expect(noList.reasons[0]).toContain('chưa xác thực được chứng nhận');
    lang.value = 'en';
    expect(
      reasonText({ reason: 'certificate_rule', detail: { rule: 'kind_not_accepted', kind: 'test' } }),
    ).toBe('This venue does not accept test results');
    expect(reasonText({ reason: 'certificate_rule', detail: { rule: 'incomplete_vaccination', dose: 1, total: 2 } })).toBe(
      'Vaccination not complete (dose 1 of 2)',
    );
    expect(reasonText({ reason: 'certificate_invalid', detail: 'unknown_key' })).toBe(
      'The certificate’s signer is not in the trust list — it cannot be verified',
    );
  });

  it('a refused pass is red with its problem in words', () => {
    const v = describeAdmission({ status: 'pass_refused', problem: 'bad_signature', verdict: { level: 'red', reasons: [{ reason: 'pass_invalid', detail: 'bad_signature' }] }, at })!;
    expect(v).toMatchObject({ level: 'red', title: 'THẺ KHÔNG HỢP LỆ', reasons: ['Chữ ký số không khớp — thẻ có thể đã bị sửa'], actions: ['manual'] });
    const expired = describeAdmission({ status: 'pass_refused', problem: 'expired', verdict: { level: 'red' }, at })!;
    expect(expired.actions).toEqual(['kiosk', 'paper']);
  });

  it('codes that are not check-ins are grey with their kind; repeats have no banner', () => {
    const venue = describeAdmission({ status: 'not_checkin', kind: 'venue', problem: 'names_no_person', detail: null, text: null, at })!;
    expect(venue).toMatchObject({ level: 'none', tone: 'grey', title: 'KHÔNG PHẢI MÃ CHECK-IN', detail: 'Loại mã: Mã QR của địa điểm (áp phích)', actions: ['manual'] });
    const damaged = describeAdmission({ status: 'not_checkin', kind: 'text', problem: 'damaged_id_card', detail: null, text: null, at })!;
    expect(damaged.reasons).toEqual([translate('vi', 'gate.notCheckin.damaged')]);
    const card = describeAdmission({ status: 'not_checkin', kind: 'bhyt', problem: 'damaged_card', detail: null, text: null, at })!;
    expect(card.detail).toBe('Loại mã: Thẻ bảo hiểm y tế (BHYT)');
    expect(card.reasons).toEqual(['Thẻ bảo hiểm y tế (BHYT): mã bị hỏng hoặc đọc sai. Hãy quét lại, hoặc bấm Nhập tay để ghi thông tin.']);
    const text = describeAdmission({ status: 'not_checkin', kind: 'text', problem: 'names_no_person', detail: null, text: null, at })!;
    expect(text.reasons).toEqual([translate('vi', 'gate.notCheckin.text')]);
    expect(describeAdmission({ status: 'repeat', kind: 'cccd', at })).toBeNull();
  });

  it('every reason has words', () => {
    expect(reasonText({ reason: 'not_recognised' })).toBe('Không nhận ra loại mã này');
    expect(reasonText({ reason: 'invalid_code', detail: 'bad date' })).toContain('bad date');
    expect(reasonText({ reason: 'declared', detail: 'amber' })).toBe('Tờ khai hôm nay được đánh giá mức Vàng');
  });
});

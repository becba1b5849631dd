import { describe, expect, it } from 'vitest';
import {
  checkWindow,
  compactNumber,
  formatVietnamDateTime,
  newestFirst,
  readAuditQuery,
  readStay,
  reasonProblem,
  venueIdProblem,
  vietnamClock,
} from './tracing';

describe('instants in Vietnam time', () => {
  it('whatever the offset they come with', () => {
    expect(formatVietnamDateTime('2021-08-10T09:10:00+07:00')).toBe('10/08/2021 09:10');
    expect(formatVietnamDateTime('2021-08-10T02:10:00Z')).toBe('10/08/2021 09:10');
    expect(formatVietnamDateTime('2021-08-09T17:00:00Z')).toBe('10/08/2021 00:00');
    expect(formatVietnamDateTime('2026-11-24T18:54:33.118909+07:00')).toBe('24/11/2026 18:54');
    expect(vietnamClock('2021-12-31T17:30:00Z')).toEqual({ date: '2022-01-01', time: '00:30' });
    expect(formatVietnamDateTime('soon')).toBe('soon');
  });
});

describe('the lookup window', () => {
  const ok = { fromDate: '09/08/2021', fromTime: '8:30', toDate: '10/08/2021', toTime: '20h15' };

  it('dates as on paper, times as people type them, sent as Vietnam local time', () => {
    expect(checkWindow(ok)).toEqual({ from: '2021-08-09T08:30', to: '2021-08-10T20:15', problems: {} });
  });

  it('says which part is wrong', () => {
    expect(checkWindow({ ...ok, fromDate: '31/02/2021', toTime: '25:00' })).toEqual({ from: null, to: null, problems: { fromDate: 'date', toTime: 'time' } });
    expect(checkWindow({ ...ok, toDate: '09/08/2021', toTime: '08:29' }).problems).toEqual({ toDate: 'order' });
    expect(checkWindow({ ...ok, toDate: '09/08/2021', toTime: '08:30' }).problems).toEqual({});
  });

  it('at most 31 days', () => {
    expect(checkWindow({ fromDate: '01/08/2021', fromTime: '00:00', toDate: '01/09/2021', toTime: '00:00' }).problems).toEqual({});
    expect(checkWindow({ fromDate: '01/08/2021', fromTime: '00:00', toDate: '01/09/2021', toTime: '00:01' }).problems).toEqual({ toDate: 'too_long' });
  });
});

describe('the other fields', () => {
  it('a reason of 5 to 500 characters, as the server counts them', () => {
    expect(reasonProblem('  ')).toBe('missing');
    expect(reasonProblem(' Ca F ')).toBe('short');
    expect(reasonProblem('Ca F0')).toBeNull();
    expect(reasonProblem('ổ'.repeat(5))).toBeNull();
    // Letters with marks count once each, though UTF-8 takes 3 bytes.
    expect(reasonProblem('ổ'.repeat(500))).toBeNull();
    expect(reasonProblem('ổ'.repeat(501))).toBe('long');
    expect(reasonProblem('a'.repeat(500))).toBeNull();
    expect(reasonProblem('a'.repeat(501))).toBe('long');
  });

  it('the stay: empty is the default, else 1 to 1440 minutes', () => {
    expect(readStay('')).toEqual({ minutes: undefined, problem: null });
    expect(readStay(' 90 ')).toEqual({ minutes: 90, problem: null });
    expect(readStay('1440').minutes).toBe(1440);
    expect(readStay('0').problem).toBe('range');
    expect(readStay('1441').problem).toBe('range');
    expect(readStay('1,5').problem).toBe('range');
  });

  it('a venue code: letters, digits and dashes', () => {
    expect(venueIdProblem(' 38-14995-3pv2w6 ')).toBeNull();
    expect(venueIdProblem('')).toBe('missing');
    expect(venueIdProblem('chợ trung xuân')).toBe('format');
    expect(venueIdProblem('x'.repeat(65))).toBe('format');
  });

  it('a number as asked, without separators', () => {
    expect(compactNumber('038 098.000-008')).toBe('038098000008');
  });
});

describe('the audit log', () => {
  it('reads what was asked', () => {
    expect(readAuditQuery('{"from":"2026-11-15T17:00:00Z","person":"id:038098000008","to":"2026-11-24T16:59:00Z"}')).toEqual({
      person: { kind: 'id', value: '038098000008' },
      from: '2026-11-15T17:00:00Z',
      to: '2026-11-24T16:59:00Z',
    });
    expect(readAuditQuery('{"venue_id":"38-14995-3PV2W6","from":"a","to":"b"}')).toEqual({ venueId: '38-14995-3PV2W6', from: 'a', to: 'b' });
    expect(readAuditQuery('{"person":"name:nguyen van a|15081990"}').person).toEqual({ kind: 'name', value: 'nguyen van a|15081990' });
    expect(readAuditQuery('not json')).toEqual({});
    expect(readAuditQuery('[1]')).toEqual({});
  });

  it('newest first, whatever order the entries came in', () => {
    const e = (id: number, at: string) => ({ id, at });
    expect(newestFirst([e(1, '2026-11-24T10:00:00Z'), e(3, '2026-11-24T11:00:00Z'), e(2, '2026-11-24T11:00:00Z')]).map((x) => x.id)).toEqual([3, 2, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { paramsFor, parseHash, routeHash } from './route';
import { canTrace, pagesFor } from './types';

describe('routes in the hash', () => {
  it('reads a page and its query', () => {
    expect(parseHash('#/silent-points?unit=387&week=2021-W32')).toEqual({
      page: 'silent-points',
      params: { unit: '387', week: '2021-W32' },
    });
    expect(parseHash('')).toEqual({ page: 'qr-points', params: {} });
    expect(parseHash('#/nope?unit=1')).toEqual({ page: 'qr-points', params: { unit: '1' } });
    expect(parseHash('#/e-vs-paper?from=&to=2021-08-15').params).toEqual({ to: '2021-08-15' });
  });

  it('writes a stable hash that reads back the same', () => {
    const r = { page: 'e-vs-paper' as const, params: { to: '2021-08-15', unit: '387', from: '2021-08-09', x: '' } };
    const h = routeHash(r);
    expect(h).toBe('#/e-vs-paper?from=2021-08-09&to=2021-08-15&unit=387');
    expect(parseHash(h).params).toEqual({ from: '2021-08-09', to: '2021-08-15', unit: '387' });
    expect(routeHash({ page: 'qr-points', params: {} })).toBe('#/qr-points');
  });

  it('keeps only what a report reads', () => {
    expect(paramsFor('silent-points', { unit: '387', week: '2021-W32', as_of: '2021-08-15' })).toEqual({ unit: '387', week: '2021-W32' });
    const all = { unit: '387', as_of: '2021-08-15', compare: '2021-08-08', week: '2021-W32', from: '2021-08-09', to: '2021-08-15' };
    expect(paramsFor('coverage', all)).toEqual({ unit: '387', as_of: '2021-08-15' });
    expect(paramsFor('reconciliation', all)).toEqual({ unit: '387', as_of: '2021-08-15' });
    expect(paramsFor('roster', all)).toEqual({ unit: '387', from: '2021-08-09', to: '2021-08-15' });
  });

  it('knows the declaration reports', () => {
    expect(parseHash('#/coverage?as_of=2021-08-15&unit=38')).toEqual({ page: 'coverage', params: { unit: '38', as_of: '2021-08-15' } });
    expect(parseHash('#/reconciliation').page).toBe('reconciliation');
    expect(routeHash({ page: 'roster', params: { unit: '387', to: '2021-08-15', from: '2021-08-09' } })).toBe('#/roster?from=2021-08-09&to=2021-08-15&unit=387');
  });

  it('knows the weekly report, tracing and the log', () => {
    expect(parseHash('#/weekly?unit=387&week=2021-W32')).toEqual({ page: 'weekly', params: { unit: '387', week: '2021-W32' } });
    expect(parseHash('#/trace?by=person')).toEqual({ page: 'trace', params: { by: 'person' } });
    expect(parseHash('#/audit').page).toBe('audit');
    expect(routeHash({ page: 'trace', params: { unit: '387', by: 'venue' } })).toBe('#/trace?by=venue&unit=387');
  });

  it('shows tracing only to tracers and admins', () => {
    expect(pagesFor('viewer')).toEqual(['qr-points', 'silent-points', 'e-vs-paper', 'coverage', 'reconciliation', 'roster', 'weekly']);
    expect(pagesFor('tracer')).toEqual(['qr-points', 'silent-points', 'e-vs-paper', 'coverage', 'reconciliation', 'roster', 'weekly', 'trace', 'audit']);
    expect(pagesFor('admin')).toEqual([...pagesFor('tracer'), 'users']);
    expect(pagesFor('superuser')).toEqual(pagesFor('viewer'));
    expect(canTrace(undefined)).toBe(false);
  });
});

// Where the dashboard is: a page and its query (unit, dates, week) kept in
// the URL's hash, so a reload, the back button or a shared link shows the
// same thing. "#/qr-points?unit=387&as_of=2021-08-15". Tracing keeps only
// the kind of lookup there ("#/trace?by=person"): never whom it is about.
import { PAGES, type PageName, type ReportName } from './types';

export type Params = Record<string, string>;

export interface Route {
  page: PageName;
  params: Params;
}

export const DEFAULT_PAGE: PageName = 'qr-points';

/** The route a hash names; unknown pages fall back to the first report. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const name = decodeURIComponent(q < 0 ? body : body.slice(0, q));
  const page = (PAGES as readonly string[]).includes(name) ? (name as PageName) : DEFAULT_PAGE;
  const params: Params = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(body.slice(q + 1))) if (v !== '') params[k] = v;
  return { page, params };
}

/** The hash for a route (empty parameters left out, keys in a stable order). */
export function routeHash(r: Route): string {
  const qs = new URLSearchParams();
  for (const k of Object.keys(r.params).sort()) if (r.params[k]) qs.set(k, r.params[k]);
  const s = qs.toString();
  return `#/${r.page}${s ? `?${s}` : ''}`;
}

/** The parameters a report reads (the unit is shared by all of them). */
export const REPORT_PARAMS: Record<ReportName, readonly string[]> = {
  'qr-points': ['unit', 'as_of', 'compare'],
  'silent-points': ['unit', 'week'],
  'e-vs-paper': ['unit', 'from', 'to'],
  coverage: ['unit', 'as_of'],
  reconciliation: ['unit', 'as_of'],
  roster: ['unit', 'from', 'to'],
};

/** Only the parameters `page` reads, from `params`. */
export function paramsFor(page: ReportName, params: Params): Params {
  const out: Params = {};
  for (const k of REPORT_PARAMS[page]) if (params[k]) out[k] = params[k];
  return out;
}

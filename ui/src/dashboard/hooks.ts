// Hooks the report pages share: a report (or any call) fetched for a query
// (cancelled when the query changes) and the pixel width of a chart's box.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { ApiError } from './api';
import { asApiError } from './errors';
import type { Params } from './route';
import { useDashboard } from './state';
import type { ReportData, ReportName } from './types';

export type Loaded<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: ApiError };

/**
 * The report `name` for `params` (null: nothing to ask yet). A new query
 * cancels the one in flight, so a slow old answer never replaces a new one.
 */
export function useReport<N extends ReportName>(name: N, params: Params | null): [Loaded<ReportData[N]>, () => void] {
  const dash = useDashboard();
  const [state, setState] = useState<Loaded<ReportData[N]>>({ status: params ? 'loading' : 'idle' });
  const [attempt, setAttempt] = useState(0);
  const key = params ? JSON.stringify(params) : '';
  useEffect(() => {
    if (!params) {
      setState({ status: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setState({ status: 'loading' });
    dash.api.report(name, params, ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ status: 'ok', data }),
      (e) => {
        if (ctl.signal.aborted || (e as Error)?.name === 'AbortError') return;
        setState({ status: 'error', error: asApiError(e) });
      },
    );
    return () => ctl.abort();
  }, [name, key, attempt]);
  return [state, () => setAttempt((a) => a + 1)];
}

/**
 * Any API call, made again when `key` changes (null: nothing to ask yet);
 * like useReport, a new key cancels the call in flight.
 */
export function useCall<T>(key: string | null, call: (signal: AbortSignal) => Promise<T>): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: key === null ? 'idle' : 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setState({ status: 'loading' });
    call(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ status: 'ok', data }),
      (e) => {
        if (ctl.signal.aborted || (e as Error)?.name === 'AbortError') return;
        setState({ status: 'error', error: asApiError(e) });
      },
    );
    return () => ctl.abort();
  }, [key, attempt]);
  return [state, () => setAttempt((a) => a + 1)];
}

/** The content width of the element `ref` points at (`fallback` until measured). */
export function useWidth<T extends HTMLElement>(fallback = 720): [Ref<T>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = el.clientWidth;
      if (w > 0) setWidth((old) => (Math.abs(old - w) >= 1 ? w : old));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

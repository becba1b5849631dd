import { describe, expect, it } from 'vitest';
import { WedgeDetector, isEditable, listenForWedge } from './wedge';

function feed(d: WedgeDetector, text: string, start: number, gap: number, gaps?: Record<number, number>) {
  let t = start;
  const results = [];
  for (const [i, ch] of [...text].entries()) {
    t += gaps?.[i] ?? gap;
    results.push(d.key(ch, t));
  }
  return { t, results };
}

describe('WedgeDetector', () => {
  it('a fast burst ended by Enter is a code', () => {
    const d = new WedgeDetector();
    const { t, results } = feed(d, '001098012345|NGUYEN', 1000, 5);
    expect(results[0].consume).toBe(false);
    expect(results.slice(1).every((r) => r.consume)).toBe(true);
    expect(d.key('Enter', t + 5)).toEqual({ consume: true, code: '001098012345|NGUYEN' });
  });

  it('people typing are not a scanner', () => {
    const d = new WedgeDetector();
    const { t, results } = feed(d, '001098012345', 0, 140);
    expect(results.some((r) => r.consume)).toBe(false);
    expect(d.key('Enter', t + 150)).toEqual({ consume: false });
  });

  it('one late key in a long burst does not cut the code', () => {
    const d = new WedgeDetector();
    const { t } = feed(d, 'CKP1:abcdefghijklmnopqrstuvwxyz0123456789', 0, 3, { 20: 180 });
    expect(d.key('Enter', t + 3).code).toBe('CKP1:abcdefghijklmnopqrstuvwxyz0123456789');
  });

  it('a pause starts a new burst; short bursts are ignored', () => {
    const d = new WedgeDetector();
    feed(d, 'abc', 0, 5);
    const { t } = feed(d, '123456789', 2000, 5);
    expect(d.key('Enter', t + 5).code).toBe('123456789');
    const e = new WedgeDetector();
    const r = feed(e, 'abc', 0, 5);
    expect(e.key('Enter', r.t + 5)).toEqual({ consume: false });
  });

  it('modifiers are ignored; Tab, arrows and Backspace reset', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const k of ['C', 'Shift', 'K', 'Shift', 'E', '1', ':', 'x', 'y', 'z']) d.key(k, (t += 4));
    expect(d.key('Enter', (t += 4)).code).toBe('CKE1:xyz');
    for (const k of ['1', '2', '3', '4', 'Backspace', '5', '6']) d.key(k, (t += 4));
    expect(d.key('Enter', (t += 4))).toEqual({ consume: false });
  });

  it('Enter long after the last key is not the end of a scan', () => {
    const d = new WedgeDetector();
    const { t } = feed(d, '001098012345', 0, 5);
    expect(d.key('Enter', t + 1000)).toEqual({ consume: false });
  });
});

describe('listenForWedge', () => {
  it('hears bursts outside fields and leaves keys in fields alone', () => {
    document.body.innerHTML = '<input id="f" type="text"><button id="b">x</button><input id="c" type="checkbox">';
    const codes: string[] = [];
    const stop = listenForWedge(document, (c) => codes.push(c));
    const type = (target: Element, text: string) => {
      for (const key of [...text, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    };
    type(document.getElementById('b')!, 'CKE1:token123');
    expect(codes).toEqual(['CKE1:token123']);
    type(document.getElementById('f')!, 'CKE1:other456');
    expect(codes).toEqual(['CKE1:token123']);
    type(document.getElementById('c')!, '001098012345');
    expect(codes).toEqual(['CKE1:token123', '001098012345']);
    stop();
    type(document.body, 'CKE1:after789');
    expect(codes).toHaveLength(2);
  });

  it('knows which elements take typing', () => {
    document.body.innerHTML =
      '<input id="t"><input id="r" type="radio"><textarea id="a"></textarea><select id="s"></select><div id="d" contenteditable="true"></div><button id="b"></button>';
    const el = (id: string) => document.getElementById(id);
    expect(isEditable(el('t'))).toBe(true);
    expect(isEditable(el('a'))).toBe(true);
    expect(isEditable(el('s'))).toBe(true);
    expect(isEditable(el('r'))).toBe(false);
    expect(isEditable(el('b'))).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});

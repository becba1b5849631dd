import { describe, expect, it } from 'vitest';
import { barLayout, barLength, fitLabel, maxOf, niceScale, niceStep, tabTracks, twoLines } from './chart';

describe('chart scaling', () => {
  it.each([
    [0.7, 1],
    [1, 1],
    [1.2, 2],
    [3, 5],
    [7, 10],
    [12, 20],
    [240, 500],
    [0.13, 0.2],
  ])('niceStep(%s) = %s', (raw, step) => {
    expect(niceStep(raw)).toBeCloseTo(step, 9);
  });

  it('axis ends on a round step at or above the largest value', () => {
    expect(niceScale(1234)).toEqual({ max: 1500, step: 500, ticks: [0, 500, 1000, 1500] });
    expect(niceScale(100)).toEqual({ max: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceScale(3)).toEqual({ max: 3, step: 1, ticks: [0, 1, 2, 3] });
    expect(niceScale(1)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
  });

  it('counts step by whole numbers, rates may not', () => {
    expect(niceScale(2, 5, true).step).toBe(1);
    const r = niceScale(2.5, 5, false);
    expect(r.step).toBe(0.5);
    expect(r.ticks).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('nothing to draw still gives an axis', () => {
    expect(niceScale(0)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
    expect(niceScale(Number.NaN).max).toBe(1);
  });

  it('bar lengths are proportional and clamped', () => {
    const s = niceScale(100);
    expect(barLength(50, s, 400)).toBe(200);
    expect(barLength(100, s, 400)).toBe(400);
    expect(barLength(0, s, 400)).toBe(0);
    expect(barLength(-3, s, 400)).toBe(0);
    expect(barLength(1000, s, 400)).toBe(400);
  });

  it('labels get a column as wide as they need, within bounds', () => {
    const px = (t: string) => t.length * 10;
    const narrow = barLayout(800, ['Xã A', 'Xã B'], 96, px);
    expect(narrow.labelWidth).toBe(90);
    expect(narrow.x0 + narrow.barSpan + 96).toBe(800);
    expect(narrow.height).toBe(8 + 2 * 34 + 28);
    expect(barLayout(800, ['Huyện Quan Sơn'], 96, px).labelWidth).toBe(14 * 10 + 12);
    const long = barLayout(500, ['Thị trấn Sơn Lư của một huyện có tên rất dài'], 96, px);
    expect(long.labelWidth).toBe(200);
    expect(barLayout(10, []).width).toBe(240);
  });

  it('labels that do not fit are cut to fit', () => {
    const px = (t: string) => [...t].length * 10;
    expect(fitLabel('Huyện Quan Sơn', 140, px)).toBe('Huyện Quan Sơn');
    expect(fitLabel('Huyện Quan Sơn', 100, px)).toBe('Huyện Qua…');
    expect(px(fitLabel('Thị trấn Sơn Lư', 75, px))).toBeLessThanOrEqual(75);
    expect(fitLabel('Xã', 5, px)).toBe('X…');
  });

  it('the largest value', () => {
    expect(maxOf([3, 9, 2])).toBe(9);
    expect(maxOf([])).toBe(0);
  });

  it('tabs share the bar by need: short labels whole, long ones on two lines', () => {
    expect(twoLines('Địa điểm không có lượt quét')).toBe(14);
    expect(twoLines('Points without scans')).toBe(13);
    expect(twoLines('Reconciliation')).toBe(14);
    expect(tabTracks(['Truy vết', 'Địa điểm không có lượt quét', 'Báo cáo tuần'])).toBe(
      'minmax(min-content, 11fr) minmax(min-content, 17fr) minmax(min-content, 15fr)',
    );
    expect(tabTracks(['Reconciliation'])).toBe('minmax(min-content, 17fr)');
    expect(tabTracks([])).toBe('');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LAYER_REPORT_WAIT_MS, LayerReport } from './LayerReport.js';

let unreported: number;
let report: LayerReport;

beforeEach(() => {
  vi.useFakeTimers();
  unreported = 0;
  report = new LayerReport(() => unreported++);
});
afterEach(() => {
  report.close();
  vi.useRealTimers();
});

describe('LayerReport', () => {
  it.each([
    [
      'all three, in any order',
      [
        { rid: 'h', ssrc: 3 },
        { rid: 'l', ssrc: 1 },
        { rid: 'm', ssrc: 2 },
      ],
      [1, 2, 3],
    ],
    [
      'two of them',
      [
        { rid: 'h', ssrc: 3 },
        { rid: 'l', ssrc: 1 },
      ],
      [1, 3],
    ],
    ['one: no simulcast', [{ rid: 'l', ssrc: 1 }], undefined],
    [
      'unknown rids only',
      [
        { rid: 'x', ssrc: 1 },
        { rid: 'y', ssrc: 2 },
      ],
      undefined,
    ],
    [
      'SSRCs as unsigned',
      [
        { rid: 'l', ssrc: -1 },
        { rid: 'm', ssrc: 2 },
      ],
      [0xffffffff, 2],
    ],
  ])('orders a report lowest first: %s', (_name, layers, expected) => {
    expect(report.report(layers)).toEqual(expected);
  });

  it('reports the same SSRCs only once', () => {
    const layers = [
      { rid: 'l', ssrc: 1 },
      { rid: 'm', ssrc: 2 },
    ];
    expect(report.report(layers)).toEqual([1, 2]);
    expect(report.report(layers)).toBeUndefined();
    expect(report.ssrcs).toEqual([1, 2]);
  });

  it('gives up on a simulcast answer whose layers never come, counted from connecting', () => {
    report.answered(true);
    report.wait(false);
    vi.advanceTimersByTime(2 * LAYER_REPORT_WAIT_MS);
    expect(unreported).toBe(0);
    report.wait(true);
    vi.advanceTimersByTime(LAYER_REPORT_WAIT_MS);
    expect(unreported).toBe(1);
  });

  it.each([
    [
      'the report comes in time',
      (r: LayerReport) =>
        r.report([
          { rid: 'l', ssrc: 1 },
          { rid: 'm', ssrc: 2 },
        ]),
    ],
    ['a later answer sends no simulcast', (r: LayerReport) => r.answered(false)],
    ['the session closes', (r: LayerReport) => r.close()],
  ])('does not give up when %s', (_name, then) => {
    report.answered(true);
    report.wait(true);
    vi.advanceTimersByTime(LAYER_REPORT_WAIT_MS - 1);
    then(report);
    vi.advanceTimersByTime(LAYER_REPORT_WAIT_MS);
    expect(unreported).toBe(0);
  });

  it('does not wait for an answer without simulcast', () => {
    report.answered(false);
    report.wait(true);
    vi.advanceTimersByTime(2 * LAYER_REPORT_WAIT_MS);
    expect(unreported).toBe(0);
  });
});

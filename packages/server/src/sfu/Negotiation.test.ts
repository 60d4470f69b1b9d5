import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NEGOTIATION_BATCH_MS, Negotiation } from './Negotiation.js';

let offers: number;
let negotiation: Negotiation;

beforeEach(() => {
  vi.useFakeTimers();
  offers = 0;
  negotiation = new Negotiation(() => offers++);
});
afterEach(() => {
  negotiation.close();
  vi.useRealTimers();
});

describe('Negotiation', () => {
  it('batches changes within the window into one offer', () => {
    negotiation.request();
    negotiation.request();
    vi.advanceTimersByTime(NEGOTIATION_BATCH_MS - 1);
    expect(offers).toBe(0);
    negotiation.request();
    vi.advanceTimersByTime(1);
    expect(offers).toBe(1);
    expect(negotiation.offering).toBe(true);
  });

  it('keeps one offer outstanding: changes meanwhile get one more offer after the answer', () => {
    negotiation.request();
    vi.advanceTimersByTime(NEGOTIATION_BATCH_MS);
    negotiation.request();
    negotiation.request();
    vi.advanceTimersByTime(10 * NEGOTIATION_BATCH_MS);
    expect(offers).toBe(1);
    negotiation.answered();
    expect(negotiation.offering).toBe(false);
    vi.advanceTimersByTime(NEGOTIATION_BATCH_MS);
    expect(offers).toBe(2);
    negotiation.answered();
    vi.advanceTimersByTime(10 * NEGOTIATION_BATCH_MS);
    expect(offers).toBe(2);
  });

  it('is idle only with no offer outstanding or due (the last answer then describes the session)', () => {
    expect(negotiation.idle).toBe(true);
    negotiation.request();
    expect(negotiation.idle).toBe(false);
    vi.advanceTimersByTime(NEGOTIATION_BATCH_MS);
    expect(negotiation.idle).toBe(false);
    negotiation.request();
    negotiation.answered();
    expect(negotiation.idle).toBe(false);
    vi.advanceTimersByTime(NEGOTIATION_BATCH_MS);
    negotiation.answered();
    expect(negotiation.idle).toBe(true);
    negotiation.close();
    expect(negotiation.idle).toBe(false);
  });

  it('makes no offer once closed', () => {
    negotiation.request();
    negotiation.close();
    negotiation.request();
    vi.advanceTimersByTime(10 * NEGOTIATION_BATCH_MS);
    expect(offers).toBe(0);
  });
});

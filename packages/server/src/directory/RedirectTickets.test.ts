import { describe, expect, it } from 'vitest';
import { RedirectTickets } from './RedirectTickets.js';

const SECRET = 'a-shared-cluster-secret-of-enough-length';

describe('RedirectTickets', () => {
  let now = 1_000_000;
  const clock = () => now;
  const entry = new RedirectTickets(SECRET, 'entry', 30_000, clock);
  const target = new RedirectTickets(SECRET, 'target', 30_000, clock);

  it('a ticket is good once, at its target, for its room, before it expires', () => {
    const ticket = entry.issue('room-hash', 'target');
    expect(target.redeem('other-hash', ticket)).toBe(false);
    expect(entry.redeem('room-hash', ticket)).toBe(false);
    expect(target.redeem('room-hash', ticket)).toBe(true);
    expect(target.redeem('room-hash', ticket)).toBe(false);
    const late = entry.issue('room-hash', 'target');
    now += 30_001;
    expect(target.redeem('room-hash', late)).toBe(false);
  });

  it.each([
    ['garbage', 'not-a-ticket'],
    ['empty', ''],
    ['far future', `${(now + 10 ** 9).toString(36)}.AAAAAAAAAAAAAAAAAAAAAA`],
  ])('refuses a forged ticket (%s)', (_, ticket) => {
    expect(target.redeem('room-hash', ticket)).toBe(false);
  });

  it('refuses a ticket signed with another secret', () => {
    const stranger = new RedirectTickets('another-secret-another-secret-another', 'x', 30_000, clock);
    expect(target.redeem('room-hash', stranger.issue('room-hash', 'target'))).toBe(false);
  });
});

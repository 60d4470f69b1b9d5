import { describe, expect, it } from 'vitest';
import { CandidateGate, MAX_EARLY_CANDIDATES } from './CandidateGate.js';

function gate() {
  const log: string[] = [];
  const g = new CandidateGate(
    (c, mid) => log.push(`add ${c} ${mid}`),
    (c, mid) => log.push(`send ${c} ${mid}`),
  );
  return { g, log };
}

describe('CandidateGate', () => {
  it('holds both directions until the first answer, then lets the browser’s go first', () => {
    const { g, log } = gate();
    g.local('l1', 'pa');
    g.remote('r1', 'pa');
    g.local('l1', 'pa'); // the same candidate, gathered into the offer and on its own: sent once
    g.local('l2', 'pv');
    expect(log).toEqual([]);
    g.openGate();
    expect(log).toEqual(['add r1 pa', 'send l1 pa', 'send l2 pv']);
    g.openGate();
    g.remote('r2', 'pv');
    g.local('l3', 'pa');
    expect(log.slice(3)).toEqual(['add r2 pv', 'send l3 pa']);
    expect(g.open).toBe(true);
  });

  it(`keeps at most ${MAX_EARLY_CANDIDATES} early candidates from the browser`, () => {
    const { g, log } = gate();
    for (let i = 0; i < MAX_EARLY_CANDIDATES + 5; i++) g.remote(`r${i}`, 'pa');
    g.openGate();
    expect(log).toHaveLength(MAX_EARLY_CANDIDATES);
  });
});

import { describe, expect, it } from 'vitest';
import { LAST_NODE_CONNECT_TIMEOUT_MS, type RejoinTarget, RejoinTargets } from './RejoinTargets.js';

/*
 * Where a page joins again after its signalling dropped: the node that served it (the meeting's
 * node after a redirect), then its entry; a last node that is gone while the entry answers is
 * left out of later rounds.
 */

const ENTRY = 'https://meet.example.org';
const OWNER = 'wss://n2.meet.example.org/ws';

const urls = (round: RejoinTarget[]) => round.map((t) => t.serverUrl);

/** Plays one round: each target in order fails with the code given for its URL. */
function failRound(targets: RejoinTargets, codes: Record<string, string>): string[] {
  const round = targets.round();
  for (const target of round) targets.failed(target, codes[target.serverUrl]);
  return urls(round);
}

describe('RejoinTargets', () => {
  it('a page that was never sent elsewhere rejoins through its entry alone, with no extra time limit', () => {
    for (const served of [undefined, 'wss://meet.example.org/ws']) {
      const round = new RejoinTargets(ENTRY, served).round();
      expect(round).toEqual([{ serverUrl: ENTRY }]);
    }
  });

  it('a page redirected to its meeting’s node tries that node first, within a time limit, then its entry', () => {
    const round = new RejoinTargets(ENTRY, OWNER).round();
    expect(round).toEqual([
      { serverUrl: OWNER, connectTimeoutMs: LAST_NODE_CONNECT_TIMEOUT_MS },
      { serverUrl: ENTRY },
    ]);
  });

  it('keeps trying the node while it answers (during a Redis outage it may refuse, and the meeting still runs)', () => {
    const targets = new RejoinTargets(ENTRY, OWNER);
    const refused = { [OWNER]: 'DIRECTORY_UNAVAILABLE', [ENTRY]: 'DIRECTORY_UNAVAILABLE' };
    expect(failRound(targets, refused)).toEqual([OWNER, ENTRY]);
    expect(urls(targets.round())).toEqual([OWNER, ENTRY]);
  });

  it('keeps both while neither can be reached: the page’s own network is the likelier cause', () => {
    const targets = new RejoinTargets(ENTRY, OWNER);
    const offline = { [OWNER]: 'NOT_CONNECTED', [ENTRY]: 'NOT_CONNECTED' };
    expect(failRound(targets, offline)).toEqual([OWNER, ENTRY]);
    expect(failRound(targets, offline)).toEqual([OWNER, ENTRY]);
    expect(urls(targets.round())).toEqual([OWNER, ENTRY]);
  });

  it('leaves out a node that cannot be reached while the entry answers: it is gone, and its meeting starts anew elsewhere', () => {
    const targets = new RejoinTargets(ENTRY, OWNER);
    expect(failRound(targets, { [OWNER]: 'NOT_CONNECTED', [ENTRY]: 'DIRECTORY_UNAVAILABLE' })).toEqual([
      OWNER,
      ENTRY,
    ]);
    expect(failRound(targets, { [ENTRY]: 'DIRECTORY_UNAVAILABLE' })).toEqual([ENTRY]);
    expect(urls(targets.round())).toEqual([ENTRY]);
  });

  it('judges the node by the latest round only: unreachable once, then answering, it stays', () => {
    const targets = new RejoinTargets(ENTRY, OWNER);
    failRound(targets, { [OWNER]: 'NOT_CONNECTED', [ENTRY]: 'NOT_CONNECTED' });
    failRound(targets, { [OWNER]: 'DIRECTORY_UNAVAILABLE', [ENTRY]: 'DIRECTORY_UNAVAILABLE' });
    expect(urls(targets.round())).toEqual([OWNER, ENTRY]);
  });
});

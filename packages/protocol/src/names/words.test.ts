import { describe, expect, it } from 'vitest';
import { ROOM_NAME_MAX_LENGTH, ROOM_NAME_MIN_LENGTH } from './validate.js';
import { ADJECTIVES, ADVERBS, COUNTS, NOUNS, PLACES, PREPOSITIONS, ROOM_NAME_SLOTS, VERBS } from './words.js';

const LISTS = ROOM_NAME_SLOTS.map(({ slot, words }) => [slot, words] as const);
const LOWER_SLOTS = ROOM_NAME_SLOTS.map(({ words }) => words.map((w) => w.toLowerCase()));
const ALL_WORDS = ROOM_NAME_SLOTS.flatMap(({ words }) => words.map((w) => w.toLowerCase()));

// Words whose sound or spelling has a common twin: someone hearing the name read aloud could type the
// other one and land in a different meeting. Also British/American variants, for the same reason.
const HOMOPHONES_AND_VARIANTS = `
  their there theyre two too to four for fore eight ate blue blew red read reed write right rite sea see
  son sun night knight flower flour bear bare deer dear hare hair whale wail rose rows plain plane pair
  pear pare peace piece great grate weak week wait weight way weigh whole hole new knew no know not knot
  road rode rowed sail sale tail tale male mail meat meet steak stake tea tee be bee flew flu flue hear
  here hour our by buy bye made maid mist missed past passed peek peak pique pole poll prey pray scene
  seen sole soul some sum stair stare suite sweet threw through vain vein vane waist waste wear where
  weather whether which witch wood would woods allowed aloud band banned board bored brake break cell
  sell cent scent sent cereal serial chews choose coarse course dew due die dye fair fare feat feet fir
  fur flea flee gait gate gates grown groan heal heel higher hire him hymn horse horses hoarse idle idol
  inn key quay knead need knows nose lead led loan lone mane main maze maize might mite moose mousse
  morning mourning muscle mussel mussels none nun oar ore one won pail pale pain pane paws pause pour
  poor pore rap wrap raise rays raze real reel ring wring roll role root route sew so sow sight site
  cite steal steel story storey tide tied tides toe tow vary very wade weighed war wore yoke yolk you ewe
  ewes yew your berry berries bury beat beet beets boulder boulders bolder bread bred brews bruise
  carrot carrots carat cymbal symbol chord cord creak creek creeks currant current dual duel fowl foul
  gnu gnus hall haul lynx links plum plums plumb soar sore soars tern terns turn cruise crews build
  billed browse brows gaze gays purr per sort sought surf serf weave burrow borough canter cantor storks
  stalks ducks ducts lanes lane tents tense yaks ants aunts pedal petal peddle pier piers peer peers
  roam rome bells belles fairies ferries canals slopes birches gorilla gorillas guerrilla herd heard
  grey gray colour color colourful colorful harbour harbor harbours harbors centre center theatre theater
  cosy cozy cosily cozily woolly wooly woollen woolen traveller traveler travellers travelers donut
  donuts doughnut doughnuts flamingoes flamingos mangoes mangos volcanoes volcanos tomatoes potatoes
  pyjamas pajamas yoghurt yogurt plough plow mould mold draught draft skilful skillful skilfully
  skillfully wintery wintry marvellous marvelous humourous humorous favourite favorite neighbours
  neighbors jewellery jewelry practise practice
`
  .split(/\s+/)
  .filter(Boolean);

// Nothing violent, sexual, medical, political, religious or sad (a regression guard, not a full list).
const SENSITIVE = `
  kill killer dead death die dying blood bloody gun guns war wars bomb bombs fight knife sword shoot
  hunt hunter hunters prey attack weapon weapons army soldier soldiers pirate pirates ninja ninjas
  sick ill virus cancer pain hospital doctor doctors nurse nurses patient patients pill pills drug drugs
  sad cry crying lonely grief gloomy tears tearful funeral grave graves ghost ghosts skull zombie zombies
  god gods church churches pray prayer holy saint saints angel angels devil devils hell heaven sin monk
  monks nun nuns temple temples cardinal cardinals vote votes party parties president senator nazi
  sexy naked nude kiss kissing lover lovers beaver beavers cock cocks cherry cherries melons juicy spicy
  frisky perky spunky lush easy beaches bushes crumpets fiddlers tarts peaches wiener weiner nuts balls
  coon coons raccoons monkeys frogs slope slopes
`
  .split(/\s+/)
  .filter(Boolean);

// Strings that must not show up in a lower-cased name, inside a word or across word boundaries.
const AWKWARD = `
  sex anal anus nazi negro nigg fuck shit cunt cock dick porn rape slut whore penis vagina dildo kike fag
  wank twat tits boob semen jizz dyke lesbo retard kill murder turd crap piss cum
`
  .split(/\s+/)
  .filter(Boolean);

/** Every place a string from `bad` appears in some name: inside a word or across word boundaries. */
function awkwardOccurrences(slots: readonly (readonly string[])[], bad: readonly string[]): string[] {
  const hits: string[] = [];
  const follow = (slot: number, rest: string, trail: string): void => {
    for (const word of slots[slot] ?? []) {
      if (word.startsWith(rest)) hits.push(`${trail}|${word}`);
      else if (rest.startsWith(word)) follow(slot + 1, rest.slice(word.length), `${trail}|${word}`);
    }
  };
  for (const b of bad) {
    slots.forEach((words, slot) => {
      for (const word of words) {
        if (word.includes(b)) hits.push(word);
        for (let start = Math.max(1, word.length - b.length + 1); start < word.length; start++) {
          const head = word.slice(start);
          if (b.startsWith(head)) follow(slot + 1, b.slice(head.length), word);
        }
      }
    });
  }
  return hits;
}

/**
 * Looks for two different slot tuples whose concatenations are equal (a Sardinas-Patterson style
 * search over "one parse is ahead of the other by this text" states). Returns a witness or null.
 */
function findAmbiguity(slots: readonly (readonly string[])[]): string | null {
  // [slot of the parse that is ahead, slot of the parse that is behind, text the ahead parse has extra]
  const queue: [number, number, string][] = [];
  slots.forEach((words, slot) => {
    for (const u of words)
      for (const v of words)
        if (u !== v && v.startsWith(u)) queue.push([slot + 1, slot + 1, v.slice(u.length)]);
  });
  const seen = new Set<string>();
  while (queue.length > 0) {
    const [ahead, behind, extra] = queue.pop() as [number, number, string];
    const id = `${ahead}|${behind}|${extra}`;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const word of slots[behind] ?? []) {
      if (word === extra) return `the parses meet again at slots ${ahead} and ${behind + 1} after "${word}"`;
      if (extra.startsWith(word)) queue.push([ahead, behind + 1, extra.slice(word.length)]);
      else if (word.startsWith(extra)) queue.push([behind + 1, ahead, word.slice(extra.length)]);
    }
  }
  return null;
}

describe('room name word lists', () => {
  it('has the seven slots in sentence order', () => {
    expect(ROOM_NAME_SLOTS.map(({ slot }) => slot)).toEqual([
      'count',
      'adjective',
      'noun',
      'verb',
      'adverb',
      'preposition',
      'place',
    ]);
    expect(ROOM_NAME_SLOTS.map(({ words }) => words)).toEqual([
      COUNTS,
      ADJECTIVES,
      NOUNS,
      VERBS,
      ADVERBS,
      PREPOSITIONS,
      PLACES,
    ]);
  });

  it.each(LISTS)('P3: the %s list has only single capitalised ASCII words', (_slot, words) => {
    for (const word of words) expect(word).toMatch(/^[A-Z][a-z]+$/);
  });

  it.each(LISTS)('P3: the %s list has no duplicates', (_slot, words) => {
    expect(new Set(words).size).toBe(words.length);
  });

  it('P3: no word is in two slots, even ignoring case', () => {
    expect(new Set(ALL_WORDS).size).toBe(ALL_WORDS.length);
  });

  it.each(ROOM_NAME_SLOTS.map((s) => [s.slot, s.maxLength, s.words] as const))(
    'the %s list keeps to its maximum length of %i letters',
    (_slot, maxLength, words) => {
      for (const word of words) expect(word.length, word).toBeLessThanOrEqual(maxLength);
    },
  );

  it('P3: every possible name fits the valid length range', () => {
    const longest = ROOM_NAME_SLOTS.reduce(
      (sum, { words }) => sum + Math.max(...words.map((w) => w.length)),
      0,
    );
    const shortest = ROOM_NAME_SLOTS.reduce(
      (sum, { words }) => sum + Math.min(...words.map((w) => w.length)),
      0,
    );
    expect(longest).toBeLessThanOrEqual(ROOM_NAME_MAX_LENGTH);
    expect(shortest).toBeGreaterThanOrEqual(ROOM_NAME_MIN_LENGTH);
  });

  it('P3: the lists are long enough to be worth a slot', () => {
    for (const { words } of ROOM_NAME_SLOTS) expect(words.length).toBeGreaterThanOrEqual(16);
  });

  it('P3: no word has a common homophone or a British/American spelling variant', () => {
    const denied = new Set(HOMOPHONES_AND_VARIANTS);
    expect(ALL_WORDS.filter((word) => denied.has(word))).toEqual([]);
  });

  it('P3: no word is violent, sexual, medical, political, religious or sad', () => {
    const denied = new Set(SENSITIVE);
    expect(ALL_WORDS.filter((word) => denied.has(word))).toEqual([]);
  });

  it('P3: no lower-cased name spells something awkward, inside a word or across words', () => {
    expect(awkwardOccurrences(LOWER_SLOTS, AWKWARD)).toEqual([]);
  });

  it('finds awkward strings across boundaries when there are some (the check works)', () => {
    expect(awkwardOccurrences([['nine'], ['groovy']], ['negro'])).toEqual(['nine|groovy']);
    expect(awkwardOccurrences([['ab'], ['c'], ['de']], ['bcd'])).toEqual(['ab|c|de']);
    expect(awkwardOccurrences([['sturdy']], ['turd'])).toEqual(['sturdy']);
  });

  it('P3: splitting a name at its capitals gives back one word per slot (injective names)', () => {
    // Every word is /^[A-Z][a-z]+$/, so the capitals mark exactly the slot boundaries.
    const name = ROOM_NAME_SLOTS.map(({ words }) => words[words.length - 1]).join('');
    expect(name.match(/[A-Z][a-z]+/g)).toEqual(ROOM_NAME_SLOTS.map(({ words }) => words[words.length - 1]));
  });

  it('P3: lower-cased names are uniquely decodable too, so case-insensitive room keys never collide', () => {
    expect(findAmbiguity(LOWER_SLOTS)).toBeNull();
  });

  it('detects an ambiguous pair of slots (the check works)', () => {
    expect(
      findAmbiguity([
        ['six', 'sixty'],
        ['tyred', 'red'],
      ]),
    ).not.toBeNull();
    expect(
      findAmbiguity([
        ['a', 'ab'],
        ['bc', 'c'],
      ]),
    ).not.toBeNull();
    expect(
      findAmbiguity([
        ['six', 'sixty'],
        ['red', 'blue'],
      ]),
    ).toBeNull();
  });
});

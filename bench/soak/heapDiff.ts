import { readFileSync } from 'node:fs';

/*
 * Compares two V8 heap snapshots (bench/soak --snapshots DIR): objects and their shallow bytes by
 * constructor name, largest growth first. What a soak leaves behind shows up here as a constructor
 * whose count grew with the number of meetings.
 *
 *   npx tsx bench/soak/heapDiff.ts DIR/baseline.heapsnapshot DIR/final.heapsnapshot
 */

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function byConstructor(path: string): Map<string, { count: number; bytes: number }> {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt] as number] ?? '?';
    const name =
      type === 'object' || type === 'closure'
        ? (s.strings[s.nodes[i + nameAt] as number] ?? '?')
        : `(${type})`;
    const key = type === 'closure' ? `closure ${name}` : name;
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += s.nodes[i + sizeAt] as number;
    out.set(key, entry);
  }
  return out;
}

const [beforePath, afterPath] = process.argv.slice(2);
if (!beforePath || !afterPath) throw new Error('usage: heapDiff.ts BEFORE AFTER');
const before = byConstructor(beforePath);
const after = byConstructor(afterPath);
const rows = [...after.entries()]
  .map(([name, a]) => {
    const b = before.get(name) ?? { count: 0, bytes: 0 };
    return { name, count: a.count - b.count, bytes: a.bytes - b.bytes };
  })
  .filter((r) => r.bytes !== 0 || r.count !== 0)
  .sort((x, y) => y.bytes - x.bytes)
  .slice(0, 30);
for (const r of rows)
  console.log(`${String(r.bytes).padStart(10)} B ${String(r.count).padStart(8)} × ${r.name}`);

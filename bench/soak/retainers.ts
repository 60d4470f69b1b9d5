import { readFileSync } from 'node:fs';

/*
 * Why a heap snapshot still holds objects of one constructor: the shortest retaining path from a GC
 * root to a few of them (bench/soak --snapshots DIR, then what heapDiff.ts shows growing).
 *
 *   npx tsx bench/soak/retainers.ts DIR/final.heapsnapshot PeerSession [how many, default 3]
 */

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
    node_count: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const [path, wanted, howMany = '3'] = process.argv.slice(2);
if (!path || !wanted) throw new Error('usage: retainers.ts SNAPSHOT CONSTRUCTOR [N]');
const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
const { node_fields: nf, edge_fields: ef, node_types: nt, edge_types: et } = s.snapshot.meta;
const nw = nf.length;
const ew = ef.length;
const [nType, nName, nEdges] = ['type', 'name', 'edge_count'].map((f) => nf.indexOf(f)) as [
  number,
  number,
  number,
];
const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [
  number,
  number,
  number,
];
const count = s.nodes.length / nw;
const nodeName = (i: number) => {
  const type = nt[0][s.nodes[i * nw + nType] as number];
  return `${type === 'object' || type === 'closure' ? '' : `(${type}) `}${s.strings[s.nodes[i * nw + nName] as number]}`;
};

// Reverse edges: for each node, who points at it and by which edge.
const firstEdge = new Uint32Array(count + 1);
for (let i = 0; i < count; i++)
  firstEdge[i + 1] = (firstEdge[i] as number) + (s.nodes[i * nw + nEdges] as number);
const retainers: { from: number; label: string }[][] = Array.from({ length: count }, () => []);
for (let from = 0; from < count; from++) {
  for (let e = firstEdge[from] as number; e < (firstEdge[from + 1] as number); e++) {
    const type = et[0][s.edges[e * ew + eType] as number];
    if (type === 'weak') continue;
    const to = (s.edges[e * ew + eTo] as number) / nw;
    const raw = s.edges[e * ew + eName] as number;
    const label = type === 'element' || type === 'hidden' ? `[${raw}]` : String(s.strings[raw]);
    retainers[to]?.push({ from, label });
  }
}

// Breadth-first from the root (node 0) gives each node its distance; a path walks back down it.
const distance = new Int32Array(count).fill(-1);
const parent = new Int32Array(count).fill(-1);
const parentLabel: string[] = new Array(count);
distance[0] = 0;
const queue = [0];
for (let q = 0; q < queue.length; q++) {
  const from = queue[q] as number;
  for (let e = firstEdge[from] as number; e < (firstEdge[from + 1] as number); e++) {
    if (et[0][s.edges[e * ew + eType] as number] === 'weak') continue;
    const to = (s.edges[e * ew + eTo] as number) / nw;
    if (distance[to] !== -1) continue;
    distance[to] = (distance[from] as number) + 1;
    parent[to] = from;
    const raw = s.edges[e * ew + eName] as number;
    const type = et[0][s.edges[e * ew + eType] as number];
    parentLabel[to] = type === 'element' || type === 'hidden' ? `[${raw}]` : String(s.strings[raw]);
    queue.push(to);
  }
}

const matches = [];
for (let i = 0; i < count; i++)
  if (
    s.strings[s.nodes[i * nw + nName] as number] === wanted &&
    nt[0][s.nodes[i * nw + nType] as number] === 'object'
  )
    matches.push(i);
console.log(`${matches.length} × ${wanted}`);
for (const m of matches.slice(0, Number(howMany))) {
  const chain: string[] = [];
  for (let i = m; i > 0 && parent[i] !== -1; i = parent[i] as number)
    chain.push(`${nodeName(i)}  ←.${parentLabel[i]}`);
  console.log(`\n${chain.length ? chain.join('\n  ') : 'unreachable from the root'}`);
  console.log(
    `  direct retainers: ${(retainers[m] ?? [])
      .map((r) => `${nodeName(r.from)}.${r.label}`)
      .slice(0, 8)
      .join(', ')}`,
  );
}

import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RoomDirectory } from '../directory/RoomDirectory.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';

/**
 * Counts only (PRIVACY P7): no label ever holds a room name, a person or an address. The one label,
 * `reason`, takes values from the protocol's closed set of error codes.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly joins: Counter;
  readonly rejectedJoins: Counter<'reason'>;
  readonly redirects: Counter;

  constructor(rooms: RoomRegistry) {
    new Gauge({
      name: 'conclave_rooms',
      help: 'Meetings in progress.',
      registers: [this.registry],
      collect() {
        this.set(rooms.roomCount);
      },
    });
    new Gauge({
      name: 'conclave_participants',
      help: 'Participants in meetings in progress.',
      registers: [this.registry],
      collect() {
        this.set(rooms.participantCount);
      },
    });
    this.joins = new Counter({
      name: 'conclave_joins_total',
      help: 'Successful joins since start.',
      registers: [this.registry],
    });
    this.rejectedJoins = new Counter({
      name: 'conclave_joins_rejected_total',
      help: 'Rejected join attempts since start, by error code.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.redirects = new Counter({
      name: 'conclave_redirects_total',
      help: 'Joins sent to the node that hosts (or starts) their meeting.',
      registers: [this.registry],
    });
  }

  /**
   * A cluster node: every series carries `node_id` (the operator's own name for the node, never a
   * person's), and two gauges say whether Redis answers and whether the node drains.
   */
  registerCluster(nodeId: string, directory: RoomDirectory, draining: () => boolean): void {
    this.registry.setDefaultLabels({ node_id: nodeId });
    new Gauge({
      name: 'conclave_directory_available',
      help: 'Whether the shared directory (Redis) answers: 1 yes, 0 no.',
      registers: [this.registry],
      collect() {
        this.set(directory.available ? 1 : 0);
      },
    });
    new Gauge({
      name: 'conclave_draining',
      help: 'Whether this node is draining (starts no new meetings): 1 yes, 0 no.',
      registers: [this.registry],
      collect() {
        this.set(draining() ? 1 : 0);
      },
    });
  }

  /** Adds prom-client's Node process metrics (CPU, memory, heap, event loop lag, handles, GC). */
  includeProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }
}

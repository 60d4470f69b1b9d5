import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';

/**
 * Counts only (PRIVACY P7): no label ever holds a room name, a person or an address. The one label,
 * `reason`, takes values from the protocol's closed set of error codes.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly joins: Counter;
  readonly rejectedJoins: Counter<'reason'>;

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
  }

  /** Adds prom-client's Node process metrics (CPU, memory, heap, event loop lag, handles, GC). */
  includeProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }
}

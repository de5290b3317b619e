/** The first packet of every CZML stream: its name and the clock that drives the whole view. */
import type { UtcMs } from '../time.ts';
import { toIso } from '../time.ts';
import { czmlInterval } from './interval.ts';
import type { CzmlPacket } from './types.ts';

export interface DocumentOptions {
  name: string;
  startMs: UtcMs;
  endMs: UtcMs;
  /** Clock start; defaults to startMs. */
  currentMs?: UtcMs;
  /** Simulated seconds per real second. */
  multiplier?: number;
}

export function documentPacket(o: DocumentOptions): CzmlPacket {
  if (!(o.endMs > o.startMs)) throw new RangeError(`CZML document: endMs must be after startMs`);
  return {
    id: 'document',
    name: o.name,
    version: '1.0',
    clock: {
      interval: czmlInterval(o.startMs, o.endMs),
      currentTime: toIso(o.currentMs ?? o.startMs),
      multiplier: o.multiplier ?? 60,
      range: 'LOOP_STOP',
      step: 'SYSTEM_CLOCK_MULTIPLIER',
    },
  };
}

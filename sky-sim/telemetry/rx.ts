/**
 * The rxjs edge of sky-sim: telemetry as an Observable. Kept apart so that the simulation core has no
 * framework dependency. The Observable is hot (it shows what the simulation emits while subscribed) and
 * unsubscribing detaches the listener.
 */
import { Observable } from 'rxjs';
import type { TelemetryEvent, TelemetryListener } from './types.ts';

export function telemetry$(source: { onTelemetry(listener: TelemetryListener): () => void }): Observable<TelemetryEvent> {
  return new Observable<TelemetryEvent>((subscriber) => source.onTelemetry((e) => subscriber.next(e)));
}

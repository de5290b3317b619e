// Worker entry: Node 20 workers do not inherit the parent's tsx loader, so register it here, then load the
// TypeScript worker. Works the same under tsx, vitest and the published bin.
import { register } from 'tsx/esm/api';

register();
await import('./pass-worker.ts');

/** Child process for the crash-safety test: writes and moves blocks forever until it is killed. */
import { KeyStore } from './key-store.ts';

const store = new KeyStore(process.argv[2]);
const prov = { passId: 'crash', stationId: 'S', satelliteId: 'SAT', startMs: 0, endMs: 1, qber: 0.02, siftedBits: 1, reconciliationLeakedBits: 0, authenticationKeyBits: 0, epsilonSec: 1e-10, epsilonCor: 1e-15, finiteKeyBoundBits: 1, protocol: 'test' };
let i = 0;
process.stdout.write('ready\n');
for (;;) {
  const bytes = new Uint8Array(32).fill(i & 255);
  store.putMany([{ block: { blockId: `b${i}`, bits: 256, provenance: prov }, keyBytes: bytes }]);
  if (i % 3 === 0) {
    const got = store.exportAvailable('backbone', 1);
    for (const g of got) if (g.block.blockId.endsWith('0')) store.consume(g.block.blockId);
  }
  i++;
}

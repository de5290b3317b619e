/** `npm start`: the whole mission on the bundled scenario (grows with each module; see README). */
import { main } from './cli.ts';

process.exitCode = await main(['mission', ...process.argv.slice(2)]);

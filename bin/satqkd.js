#!/usr/bin/env node
// The published entry point: registers tsx so the TypeScript sources run as they are, then hands over to the CLI.
import { register } from 'tsx/esm/api';

// `satqkd passes … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));

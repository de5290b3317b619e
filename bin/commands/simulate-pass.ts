/** `satqkd simulate-pass`: defined beside the post-processing it reports on. */
export { command } from '../../ground-station/postprocess/simulate-pass-command.ts';

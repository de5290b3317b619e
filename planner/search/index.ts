/** Generic window search and interval algebra (DEVELOPERS.md convention 4). */
export * from './roots.ts';
export * from './intervals.ts';
export * from './windows.ts';

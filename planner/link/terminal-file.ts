/**
 * A terminal description file (tle-data/terminals/*.json): the optical link and the QKD protocol of one
 * satellite–station pairing (or satellite–satellite). Parsed from text here — planner/ does no I/O — into a value
 * or a list of errors naming the file, line (for JSON syntax) and field.
 */
import { z } from 'zod';
import { DecoyProtocolParamsSchema, formatIssues } from '../keyrate/params.ts';
import { LinkParamsSchema } from './params.ts';

export const TerminalFileSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Where the numbers come from: papers, data sheets; free text. */
    references: z.array(z.string()).optional(),
    link: LinkParamsSchema,
    protocol: DecoyProtocolParamsSchema,
    planning: z
      .object({
        /** Time slot of the yield integration (one transmittance per slot). */
        slotDurationS: z.number().positive().max(60).default(1),
      })
      .strict()
      .default({ slotDurationS: 1 }),
  })
  .strict();

export type TerminalFile = z.infer<typeof TerminalFileSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Line (1-based) of a character offset, for JSON syntax errors. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses JSON text with a schema; errors name `source`, the line of a syntax error, or the field's path. */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string, source: string): ParseResult<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    return { ok: false, errors: [`${source}${pos ? `:${lineOf(text, Number(pos[1]))}` : ''}: invalid JSON: ${msg}`] };
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: formatIssues(source, r.error) };
}

export function parseTerminalFile(text: string, source: string): ParseResult<TerminalFile> {
  return parseJsonWith(TerminalFileSchema, text, source);
}

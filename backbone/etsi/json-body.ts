/**
 * A lean JSON body reader for the KME's HTTPS port (the hot path of every POST): reads up to `limitBytes`, parses,
 * and reports a too-large or malformed body as the same error types express.json uses, so one error handler maps
 * both to the spec's 400. A GET or an empty body leaves req.body undefined.
 */
import type { NextFunction, Request, Response } from 'express';

export function jsonBody(limitBytes: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (req.method === 'GET' || req.method === 'HEAD' || (declared === 0 && !req.headers['transfer-encoding'])) return next();
    if (declared > limitBytes) return next(Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 }));
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limitBytes) {
        failed = true;
        // stop reading; the error answer still goes out on this connection
        req.pause();
        next(Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (text.trim() === '') return next();
      try {
        req.body = JSON.parse(text);
      } catch {
        return next(Object.assign(new Error('malformed JSON'), { type: 'entity.parse.failed', status: 400 }));
      }
      next();
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        next(err);
      }
    });
  };
}

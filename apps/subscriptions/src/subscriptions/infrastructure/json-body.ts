import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/** A route whose fields are all optional, given a body of another type: 415 rather than reading it as `{}`. */
export function requireJsonBodyIfAny(req: Request): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (hasBody && type !== 'application/json' && !type.endsWith('+json')) {
    throw new UnsupportedMediaTypeException({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'The body must be application/json' });
  }
}

import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { LOGO_CONTENT_TYPES, type LogoContentType } from '../../domain/customer.events';
import { invalidCustomerInput } from '../../domain/customer.errors';
import { MAX_LOGO_BYTES } from '../../domain/customer.rules';
import { sniffImageType } from '../../infrastructure/image-type';

export const LOGO_TOO_LARGE = 'CUSTOMER.LOGO_TOO_LARGE';
export const LOGO_UNSUPPORTED_TYPE = 'CUSTOMER.LOGO_UNSUPPORTED_TYPE';

const tooLarge = () =>
  new PayloadTooLargeException({ code: LOGO_TOO_LARGE, message: `A logo may be at most ${MAX_LOGO_BYTES} bytes (512 KiB)` });

/** The declared media type, when it is one a logo may have (parameters such as `; charset` ignored). */
export function logoContentType(header: string | undefined): LogoContentType {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  if (!(LOGO_CONTENT_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedMediaTypeException({
      code: LOGO_UNSUPPORTED_TYPE,
      message: 'A logo is sent as the raw body with Content-Type image/png, image/jpeg or image/webp',
    });
  }
  return type as LogoContentType;
}

/**
 * The raw image body (no body parser handles image types), refused at 512 KiB as soon as the
 * declared length or the bytes read pass it, and checked to really be the declared type.
 */
export async function readLogoBody(req: Request, contentType: LogoContentType): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_LOGO_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_LOGO_BYTES) throw tooLarge(); // Node discards the rest of the body after the answer
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks, size);
  if (bytes.length === 0) throw invalidCustomerInput([{ field: 'body', message: 'the image is empty' }]);
  const actual = sniffImageType(bytes);
  if (actual !== contentType) {
    throw new UnsupportedMediaTypeException({
      code: LOGO_UNSUPPORTED_TYPE,
      message: actual ? `The body is ${actual}, not ${contentType}` : `The body is not a ${contentType} image`,
    });
  }
  return bytes;
}

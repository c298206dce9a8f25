import type { Response } from 'express';
import { LOG_POSITION_HEADER, WRITE_HEADERS_DOC } from '../customers/infrastructure/customer-response';

/** OpenAPI description of the read-your-writes header on writes that keep no ETag. */
export const LOG_POSITION_DOC = { [LOG_POSITION_HEADER]: WRITE_HEADERS_DOC[LOG_POSITION_HEADER] };

/** `X-Log-Position` of what a write appended (nothing when it appended nothing). */
export function setLogPosition(res: Response, position: bigint | undefined): void {
  if (position !== undefined) res.setHeader(LOG_POSITION_HEADER, position.toString());
}

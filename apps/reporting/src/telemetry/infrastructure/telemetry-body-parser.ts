import { largeJsonBodyFor } from '@platform/service-kit';

export const TELEMETRY_PATH = '/api/v1/telemetry';
/** A batch of 1,000 records is larger than the default JSON body limit (100 kB). */
export const TELEMETRY_BODY_LIMIT = '16mb';

export const telemetryBodyParser = largeJsonBodyFor(TELEMETRY_PATH, TELEMETRY_BODY_LIMIT);

import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

/**
 * How an encrypted personal value is stored in place of the value itself (JSON):
 * `{"$enc":"v1","kid":"<subject id>","iv":"<b64 12 bytes>","ct":"<b64>","tag":"<b64 16 bytes>"}`.
 * The plaintext is the value's JSON text, so strings, numbers and whole objects all fit.
 */
export interface EncryptedValue {
  $enc: 'v1';
  /** Subject (customer id) whose data key encrypted the value. */
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

export function isEncryptedValue(value: unknown): value is EncryptedValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.$enc === 'v1' &&
    typeof v.kid === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string' &&
    typeof v.tag === 'string'
  );
}

/**
 * AAD binds a ciphertext to the event and the field it was written for: copying it into
 * another event or another field makes decryption fail instead of showing the wrong value.
 */
export function fieldAad(eventId: string, path: string): Buffer {
  return Buffer.from(`${eventId}\n${path}`, 'utf8');
}

const ivKeys = new WeakMap<Buffer, Buffer>();

/** A second key, derived from the data key, used only to make IVs. */
function ivKeyOf(dataKey: Buffer): Buffer {
  let k = ivKeys.get(dataKey);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'event-store/field-iv/v1', 32));
    ivKeys.set(dataKey, k);
  }
  return k;
}

/**
 * AES-256-GCM with a synthetic IV: HMAC(ivKey, aad ‖ plaintext) truncated to 12 bytes.
 * Appends are idempotent by event id, so a retried append must produce byte-identical data;
 * a random IV would make the retry look like a different event. The IV only repeats for the
 * same event id, field and value — i.e. the same ciphertext — so GCM's rule "never one IV for two
 * different messages under one key" holds (up to a 2^-96 HMAC collision).
 */
export function encryptField(dataKey: Buffer, kid: string, eventId: string, path: string, value: unknown): EncryptedValue {
  const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
  const aad = fieldAad(eventId, path);
  const iv = createHmac('sha256', ivKeyOf(dataKey)).update(aad).update(plaintext).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    $enc: 'v1',
    kid,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Throws when the ciphertext, tag, IV, event id or path does not match what was encrypted. */
export function decryptField(dataKey: Buffer, eventId: string, path: string, envelope: EncryptedValue): unknown {
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  // A shortened tag would weaken authentication; accept only what encryptField writes.
  if (iv.length !== 12 || tag.length !== 16) throw new Error('malformed encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: 16 });
  decipher.setAAD(fieldAad(eventId, path));
  decipher.setAuthTag(tag);
  const plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
  return JSON.parse(plaintext.toString('utf8'));
}

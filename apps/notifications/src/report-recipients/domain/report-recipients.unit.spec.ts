import { applyRecipientList, recipientState, type RecipientRecord } from './report-recipients';

const now = new Date('2026-03-01T00:00:00.000Z');
let n = 0;
const ctx = { now, nextTokenId: () => `token-${++n}`, ttlMs: 3600_000 };
const record = (email: string, over: Partial<RecipientRecord> = {}): RecipientRecord => ({
  email,
  purposes: ['service'],
  status: 'pending',
  tokenId: `t-${email}`,
  requestedAt: '2026-02-28T23:30:00.000Z',
  expiresAt: '2026-03-01T00:30:00.000Z',
  verifiedAt: null,
  ...over,
});

describe('report recipients', () => {
  it('asks new addresses (normalised) to verify, once', () => {
    const c = applyRecipientList([], 'service', ['A@Example.com', 'a@example.com', 'b@example.com'], ctx);
    expect(c.toVerify.map((r) => r.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(c.toVerify[0]).toMatchObject({ status: 'pending', purposes: ['service'], expiresAt: '2026-03-01T01:00:00.000Z' });
    expect(c.removed).toEqual([]);
  });

  it('keeps verified and still-pending addresses without a new email, and re-sends expired ones', () => {
    const current = [
      record('v@example.com', { status: 'verified', verifiedAt: '2026-02-01T00:00:00.000Z' }),
      record('p@example.com'),
      record('x@example.com', { expiresAt: '2026-02-28T00:00:00.000Z' }),
    ];
    const c = applyRecipientList(current, 'service', ['v@example.com', 'p@example.com', 'x@example.com'], ctx);
    expect(c.toVerify.map((r) => r.email)).toEqual(['x@example.com']);
    expect(c.toVerify[0].tokenId).not.toBe('t-x@example.com');
    expect(c.upserts.map((r) => r.email)).toEqual(['x@example.com']);
  });

  it('adds a purpose to a known address without re-verifying, and drops addresses no list names any more', () => {
    const current = [record('both@example.com', { status: 'verified' }), record('gone@example.com'), record('billing@example.com', { purposes: ['service', 'billing'] })];
    const c = applyRecipientList(current, 'billing', ['both@example.com'], ctx);
    expect(c.toVerify).toEqual([]);
    expect(c.upserts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'both@example.com', purposes: ['service', 'billing'], status: 'verified' }),
        expect.objectContaining({ email: 'billing@example.com', purposes: ['service'] }),
      ]),
    );
    expect(c.removed).toEqual([]);
    const off = applyRecipientList(current, 'service', [], ctx);
    expect(off.removed.sort()).toEqual(['both@example.com', 'gone@example.com']);
  });

  it('shows pending links that ran out as expired', () => {
    expect(recipientState(record('a@x.com'), now)).toBe('pending');
    expect(recipientState(record('a@x.com'), new Date('2026-03-02T00:00:00.000Z'))).toBe('expired');
    expect(recipientState(record('a@x.com', { status: 'verified' }), new Date('2027-01-01T00:00:00.000Z'))).toBe('verified');
  });
});

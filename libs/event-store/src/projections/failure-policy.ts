import { backoffDelay, type BackoffOptions } from '@platform/core';

/** SQLSTATE classes and socket errors that say "the database or the link failed", not the handler's logic. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0)/; // connection exception, insufficient resources, shutdown
const TRANSIENT_CODES = new Set(['40001', '40P01', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);
const TRANSIENT_MESSAGE =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed/i;

/**
 * True for failures that retrying the same work can cure (lost connection, serialization
 * failure, deadlock, server shutting down). They never count towards parking an event: a
 * database outage must not park good events.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_CODES.has(code))) return true;
  return error instanceof Error && TRANSIENT_MESSAGE.test(error.message);
}

export interface FailurePolicyOptions {
  /** Failed single-event attempts after which the event is parked. */
  maxAttempts: number;
  backoff: BackoffOptions;
}

export interface FailureContext {
  /** Events in the transaction that failed. */
  batchSize: number;
  transient: boolean;
  /** Consecutive transient failures so far, this one included (drives the delay). */
  transientStreak: number;
  /** Failed attempts of the single event so far, this one included (only when batchSize is 1). */
  eventAttempts: number;
}

export type FailureDecision =
  /** Same read and transaction again after the delay (transient failure). */
  | { action: 'retry'; delayMs: number }
  /** A handler failed on a batch: redo that range one event per transaction to find the poison event. */
  | { action: 'isolate'; delayMs: number }
  /** The single event failed again but has attempts left. */
  | { action: 'retry-event'; delayMs: number }
  /** The single event used up its attempts: record it as parked and move past it. */
  | { action: 'park' };

export type RetryDecision = Exclude<FailureDecision, { action: 'park' }>;

/** The delay before redoing work that failed for a transient reason (or whose cause is unknown). */
export function transientRetry(
  streak: number,
  options: FailurePolicyOptions,
  random: () => number = Math.random,
): { action: 'retry'; delayMs: number } {
  return { action: 'retry', delayMs: backoffDelay(streak, options.backoff, random) };
}

export function decideAfterFailure(
  ctx: FailureContext,
  options: FailurePolicyOptions,
  random: () => number = Math.random,
): FailureDecision {
  if (ctx.transient) return transientRetry(ctx.transientStreak, options, random);
  if (ctx.batchSize > 1) return { action: 'isolate', delayMs: backoffDelay(1, options.backoff, random) };
  if (ctx.eventAttempts >= options.maxAttempts) return { action: 'park' };
  return { action: 'retry-event', delayMs: backoffDelay(ctx.eventAttempts, options.backoff, random) };
}

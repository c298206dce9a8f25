import { ConflictError, err, NotFoundError, ok, ValidationError, type Result } from '@platform/core';

/**
 * The life of a partner-owned settings profile (billing profiles, job notification profiles):
 * created, updated (the event carries the whole settings after the change), deleted. One
 * decider for both, parameterised by a spec naming the events and checking the settings.
 */

export type FieldProblem = { field: string; message: string };

export interface ProfileSpec<S> {
  /** `BILLING_PROFILE`, … — the AREA of error codes. */
  area: string;
  /** Human name in messages (“billing profile”). */
  noun: string;
  events: { created: string; updated: string; deleted: string };
  /** Cross-field rules the request DTO cannot express; empty when valid. */
  validate(settings: S): FieldProblem[];
  /** The canonical form stored (defaults filled, irrelevant fields cleared). */
  normalize(settings: S): S;
}

export type ProfileEvent<S> =
  | { type: string; data: { profileId: string; partnerId: string; settings: S } }
  | { type: string; data: { settings: S } }
  | { type: string; data: Record<string, never> };

export interface ProfileState<S> {
  status: 'none' | 'active' | 'deleted';
  profileId: string | null;
  partnerId: string | null;
  settings: S | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export const initialProfileState = <S>(): ProfileState<S> => ({
  status: 'none',
  profileId: null,
  partnerId: null,
  settings: null,
  createdAt: null,
  updatedAt: null,
});

export type ProfileCommand<S> =
  | { type: 'Create'; data: { profileId: string; partnerId: string; settings: S } }
  | { type: 'Update'; data: { partnerId: string; changes: Partial<S> } }
  | { type: 'Delete'; data: { partnerId: string } };

export const profileNotFound = (spec: { area: string; noun: string }): NotFoundError =>
  new NotFoundError(`${spec.area}.NOT_FOUND`, `No such ${spec.noun}.`);

function sameSettings<S>(a: S, b: S): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function decideProfile<S extends object>(
  spec: ProfileSpec<S>,
  command: ProfileCommand<S>,
  state: ProfileState<S>,
): Result<ProfileEvent<S>[], ConflictError | NotFoundError | ValidationError> {
  if (command.type === 'Create') {
    if (state.status !== 'none') return err(new ConflictError(`${spec.area}.ALREADY_EXISTS`, `The ${spec.noun} already exists.`));
    const settings = spec.normalize(command.data.settings);
    const problems = spec.validate(settings);
    if (problems.length > 0) return err(new ValidationError(`The ${spec.noun} is not valid.`, problems));
    return ok([{ type: spec.events.created, data: { profileId: command.data.profileId, partnerId: command.data.partnerId, settings } }]);
  }
  // Someone else's, deleted or unknown: the same 404, so a partner learns nothing of others.
  if (state.status !== 'active' || state.partnerId !== command.data.partnerId || !state.settings) return err(profileNotFound(spec));
  if (command.type === 'Delete') return ok([{ type: spec.events.deleted, data: {} }]);
  const defined = Object.fromEntries(Object.entries(command.data.changes).filter(([, v]) => v !== undefined)) as Partial<S>;
  const settings = spec.normalize({ ...state.settings, ...defined });
  const problems = spec.validate(settings);
  if (problems.length > 0) return err(new ValidationError(`The ${spec.noun} is not valid.`, problems));
  if (sameSettings(settings, state.settings)) return ok([]);
  return ok([{ type: spec.events.updated, data: { settings } }]);
}

export function evolveProfile<S>(
  spec: ProfileSpec<S>,
  state: ProfileState<S>,
  event: { type: string; data: unknown; metadata?: { occurredAt?: string } },
): ProfileState<S> {
  const at = event.metadata?.occurredAt ?? null;
  if (event.type === spec.events.created) {
    const d = event.data as { profileId: string; partnerId: string; settings: S };
    return { status: 'active', profileId: d.profileId, partnerId: d.partnerId, settings: d.settings, createdAt: at, updatedAt: at };
  }
  if (event.type === spec.events.updated) return { ...state, settings: (event.data as { settings: S }).settings, updatedAt: at };
  if (event.type === spec.events.deleted) return { ...state, status: 'deleted', updatedAt: at };
  return state;
}

import { ok, type Result } from '@platform/core';
import type { ExpiredServicesVisibilityChanged } from './subscription.events';

/** Per-customer view setting of the services list (F11), on `subscriptionview-<customerId>`. */
export interface ServicesViewState {
  expiredHidden: boolean;
}

export const initialServicesViewState: ServicesViewState = Object.freeze({ expiredHidden: false });

export function evolveServicesView(state: ServicesViewState, event: ExpiredServicesVisibilityChanged): ServicesViewState {
  return event.type === 'ExpiredServicesVisibilityChanged' ? { expiredHidden: event.data.hidden } : state;
}

export interface ChangeExpiredServicesVisibility {
  type: 'ChangeExpiredServicesVisibility';
  data: { hidden: boolean };
}

export function decideServicesView(
  command: ChangeExpiredServicesVisibility,
  state: ServicesViewState,
): Result<ExpiredServicesVisibilityChanged[], never> {
  // Setting what is already set records nothing.
  return ok(state.expiredHidden === command.data.hidden ? [] : [{ type: 'ExpiredServicesVisibilityChanged', data: { hidden: command.data.hidden } }]);
}

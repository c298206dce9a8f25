/** F1, customer side: the admin signed in through the link accepts; no partner token involved. */
export interface AcceptInvitationCommand {
  /** The token of the link (`/api/v1/invitations/{token}:accept`). */
  token: string;
  /** The signed-in customer admin (email or UPN): becomes the registered account. */
  registeredAccount: string;
}

import type { AccountType } from './customer.events';

export interface InvitationEmailInput {
  locale: string;
  organizationName: string;
  accountType: AccountType;
  /** ISO 8601 UTC. */
  expiresAt: string;
  partnerName?: string;
  indirectProviderName?: string;
}

type Language = 'en' | 'it' | 'fr';

const SIGN_IN: Record<Language, Record<AccountType, string>> = {
  en: {
    'microsoft365-global-admin': 'a Microsoft 365 global administrator account',
    'microsoft365-usgov-global-admin': 'a Microsoft 365 U.S. Government global administrator account',
    'google-super-admin': 'a Google Workspace super administrator account',
    'salesforce-system-admin': 'a Salesforce system administrator account',
    'local-account': 'a local account',
    'authorization-link': 'the account you want to authorise',
  },
  it: {
    'microsoft365-global-admin': 'un account amministratore globale di Microsoft 365',
    'microsoft365-usgov-global-admin': 'un account amministratore globale di Microsoft 365 U.S. Government',
    'google-super-admin': 'un account super amministratore di Google Workspace',
    'salesforce-system-admin': 'un account amministratore di sistema Salesforce',
    'local-account': 'un account locale',
    'authorization-link': "l'account che si desidera autorizzare",
  },
  fr: {
    'microsoft365-global-admin': 'un compte administrateur général Microsoft 365',
    'microsoft365-usgov-global-admin': 'un compte administrateur général Microsoft 365 U.S. Government',
    'google-super-admin': 'un compte super-administrateur Google Workspace',
    'salesforce-system-admin': 'un compte administrateur système Salesforce',
    'local-account': 'un compte local',
    'authorization-link': 'le compte que vous souhaitez autoriser',
  },
};

const language = (locale: string): Language => {
  const primary = locale.split('-')[0].toLowerCase();
  return primary === 'it' || primary === 'fr' ? primary : 'en';
};

const day = (iso: string): string => iso.slice(0, 10);

/**
 * The default, editable invitation text (F1) in the customer's language (English when the
 * locale has no translation). The personal link is not part of the text: notifications puts
 * the current link under it, so a resent invitation never carries a stale one.
 */
export function draftInvitationEmail(input: InvitationEmailInput): string {
  const lang = language(input.locale);
  const signIn = SIGN_IN[lang][input.accountType];
  const until = day(input.expiresAt);
  switch (lang) {
    case 'it': {
      const partner = input.partnerName ?? 'Il vostro fornitore di servizi';
      const provider = input.indirectProviderName
        ? ` insieme al provider indiretto ${input.indirectProviderName}`
        : '';
      return [
        `Gentile amministratore di ${input.organizationName},`,
        '',
        `${partner} vi invita a stabilire una relazione di gestione dei servizi${provider}.`,
        `Per accettare, aprite il link personale qui sotto e accedete con ${signIn}. Il link è valido fino al ${until} e può essere usato una sola volta.`,
        '',
        'Cordiali saluti,',
        partner,
      ].join('\n');
    }
    case 'fr': {
      const partner = input.partnerName ?? 'Votre fournisseur de services';
      const provider = input.indirectProviderName
        ? ` ainsi qu’avec le fournisseur indirect ${input.indirectProviderName}`
        : '';
      return [
        `Madame, Monsieur l’administrateur de ${input.organizationName},`,
        '',
        `${partner} vous invite à établir une relation de gestion de vos services${provider}.`,
        `Pour accepter, ouvrez le lien personnel ci-dessous et connectez-vous avec ${signIn}. Le lien est valable jusqu’au ${until} et ne peut être utilisé qu’une seule fois.`,
        '',
        'Cordialement,',
        partner,
      ].join('\n');
    }
    default: {
      const partner = input.partnerName ?? 'Your service provider';
      const provider = input.indirectProviderName ? ` together with the indirect provider ${input.indirectProviderName}` : '';
      return [
        `Dear ${input.organizationName} administrator,`,
        '',
        `${partner} invites you to establish a service management relationship${provider}.`,
        `To accept, open the personal link below and sign in with ${signIn}. The link is valid until ${until} and works once.`,
        '',
        'Kind regards,',
        partner,
      ].join('\n');
    }
  }
}

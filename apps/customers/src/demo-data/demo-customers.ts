import type { AccountType } from '../customers/domain/customer.events';

/** What a demo customer goes through after its invitation. */
export type DemoJourney = 'invited' | 'active' | 'revoked' | 'customer-managed';

export interface DemoCustomer {
  organizationName: string;
  primaryDomain: string;
  countryCode: string;
  locale: string;
  accountType: AccountType;
  tags: string[];
  journey: DemoJourney;
  /** Titles of support tickets left open. */
  openTickets?: string[];
  /** Pinned by the demo admin. */
  pinned?: boolean;
  /** Days before seeding when the customer was invited. */
  invitedDaysAgo: number;
}

const M365: AccountType = 'microsoft365-global-admin';

/**
 * The embedded demo partner's customers: a spread of countries, statuses, account types and
 * tags, with accented names so search is worth trying (`societe`, `cafe`, `zurich`).
 */
export const DEMO_CUSTOMERS: DemoCustomer[] = [
  { organizationName: 'Société Générale Démo', primaryDomain: 'sg-demo.fr', countryCode: 'FR', locale: 'fr', accountType: M365, tags: ['finance', 'gold'], journey: 'active', openTickets: ['Sauvegarde OneDrive en échec'], pinned: true, invitedDaysAgo: 320 },
  { organizationName: 'Caffè Nero Srl', primaryDomain: 'caffenero-demo.it', countryCode: 'IT', locale: 'it', accountType: M365, tags: ['retail', 'silver'], journey: 'active', pinned: true, invitedDaysAgo: 300 },
  { organizationName: 'Müller & Söhne GmbH', primaryDomain: 'mueller-soehne.de', countryCode: 'DE', locale: 'en', accountType: M365, tags: ['manufacturing', 'gold'], journey: 'active', invitedDaysAgo: 290 },
  { organizationName: 'Contoso Healthcare', primaryDomain: 'contoso-health.com', countryCode: 'US', locale: 'en', accountType: 'microsoft365-usgov-global-admin', tags: ['healthcare', 'gold'], journey: 'active', openTickets: ['Exchange mailbox restore', 'Teams backup is slow'], pinned: true, invitedDaysAgo: 280 },
  { organizationName: 'Fabrikam Ltd', primaryDomain: 'fabrikam.co.uk', countryCode: 'GB', locale: 'en', accountType: M365, tags: ['manufacturing'], journey: 'active', invitedDaysAgo: 270 },
  { organizationName: 'Telefónica Demo S.A.', primaryDomain: 'telefonica-demo.es', countryCode: 'ES', locale: 'en', accountType: M365, tags: ['telecom', 'gold'], journey: 'active', invitedDaysAgo: 260 },
  { organizationName: 'Nederlandse Bloemen B.V.', primaryDomain: 'bloemen-demo.nl', countryCode: 'NL', locale: 'en', accountType: 'google-super-admin', tags: ['retail'], journey: 'active', invitedDaysAgo: 250 },
  { organizationName: 'Crédit Lyonnais Démo', primaryDomain: 'cl-demo.fr', countryCode: 'FR', locale: 'fr', accountType: M365, tags: ['finance'], journey: 'invited', invitedDaysAgo: 6 },
  { organizationName: 'Pasticceria Dolcè', primaryDomain: 'dolce-demo.it', countryCode: 'IT', locale: 'it', accountType: 'local-account', tags: ['retail', 'bronze'], journey: 'active', invitedDaysAgo: 240 },
  { organizationName: 'Zürich Versicherung Demo AG', primaryDomain: 'zurich-demo.ch', countryCode: 'CH', locale: 'en', accountType: M365, tags: ['finance', 'gold'], journey: 'customer-managed', invitedDaysAgo: 230 },
  { organizationName: 'Northwind Traders', primaryDomain: 'northwind.com', countryCode: 'US', locale: 'en', accountType: 'salesforce-system-admin', tags: ['retail', 'silver'], journey: 'active', openTickets: ['Salesforce sandbox backup'], invitedDaysAgo: 220 },
  { organizationName: 'Adventure Works Cycles', primaryDomain: 'adventure-works.com', countryCode: 'US', locale: 'en', accountType: M365, tags: ['manufacturing', 'bronze'], journey: 'active', invitedDaysAgo: 210 },
  { organizationName: 'Bäckerei Schäfer', primaryDomain: 'baeckerei-schaefer.de', countryCode: 'DE', locale: 'en', accountType: 'local-account', tags: ['retail'], journey: 'revoked', invitedDaysAgo: 200 },
  { organizationName: 'Università di Bologna Demo', primaryDomain: 'unibo-demo.it', countryCode: 'IT', locale: 'it', accountType: 'google-super-admin', tags: ['education', 'gold'], journey: 'active', invitedDaysAgo: 195 },
  { organizationName: 'Château Margaux Démo', primaryDomain: 'chateau-demo.fr', countryCode: 'FR', locale: 'fr', accountType: M365, tags: ['retail', 'vip'], journey: 'active', pinned: true, invitedDaysAgo: 190 },
  { organizationName: 'Tailspin Toys', primaryDomain: 'tailspintoys.com', countryCode: 'US', locale: 'en', accountType: M365, tags: ['retail'], journey: 'invited', invitedDaysAgo: 3 },
  { organizationName: 'Wide World Importers', primaryDomain: 'wideworldimporters.com', countryCode: 'GB', locale: 'en', accountType: M365, tags: ['logistics', 'silver'], journey: 'active', invitedDaysAgo: 180 },
  { organizationName: 'Iberdrola Demo', primaryDomain: 'iberdrola-demo.es', countryCode: 'ES', locale: 'en', accountType: M365, tags: ['energy', 'gold'], journey: 'active', openTickets: ['Policy scan reports violations'], invitedDaysAgo: 175 },
  { organizationName: 'Rijksmuseum Demo', primaryDomain: 'rijks-demo.nl', countryCode: 'NL', locale: 'en', accountType: M365, tags: ['public-sector'], journey: 'active', invitedDaysAgo: 170 },
  { organizationName: 'Comune di Milano Demo', primaryDomain: 'comune-milano-demo.it', countryCode: 'IT', locale: 'it', accountType: M365, tags: ['public-sector', 'silver'], journey: 'customer-managed', invitedDaysAgo: 165 },
  { organizationName: 'Lufthansa Technik Demo', primaryDomain: 'lht-demo.de', countryCode: 'DE', locale: 'en', accountType: M365, tags: ['logistics', 'gold'], journey: 'active', invitedDaysAgo: 160 },
  { organizationName: 'Woodgrove Bank', primaryDomain: 'woodgrovebank.com', countryCode: 'US', locale: 'en', accountType: 'microsoft365-usgov-global-admin', tags: ['finance', 'vip'], journey: 'active', invitedDaysAgo: 155 },
  { organizationName: 'Crème de la Crème SARL', primaryDomain: 'creme-demo.fr', countryCode: 'FR', locale: 'fr', accountType: 'local-account', tags: ['retail'], journey: 'revoked', invitedDaysAgo: 150 },
  { organizationName: 'Ferrari Motori Demo S.p.A.', primaryDomain: 'motori-demo.it', countryCode: 'IT', locale: 'it', accountType: M365, tags: ['manufacturing', 'vip'], journey: 'active', invitedDaysAgo: 145 },
  { organizationName: 'Litware Inc.', primaryDomain: 'litware.com', countryCode: 'US', locale: 'en', accountType: 'salesforce-system-admin', tags: ['software'], journey: 'active', invitedDaysAgo: 140 },
  { organizationName: 'Óptica Sánchez', primaryDomain: 'optica-sanchez.es', countryCode: 'ES', locale: 'en', accountType: 'local-account', tags: ['retail', 'bronze'], journey: 'invited', invitedDaysAgo: 12 },
  { organizationName: 'Philips Zorg Demo', primaryDomain: 'zorg-demo.nl', countryCode: 'NL', locale: 'en', accountType: M365, tags: ['healthcare', 'gold'], journey: 'active', openTickets: ['Restore deleted SharePoint site'], invitedDaysAgo: 135 },
  { organizationName: 'Edinburgh Council Demo', primaryDomain: 'edinburgh-demo.gov.uk', countryCode: 'GB', locale: 'en', accountType: M365, tags: ['public-sector'], journey: 'active', invitedDaysAgo: 130 },
  { organizationName: 'Fourth Coffee', primaryDomain: 'fourthcoffee.com', countryCode: 'US', locale: 'en', accountType: 'google-super-admin', tags: ['retail'], journey: 'active', invitedDaysAgo: 125 },
  { organizationName: 'Grand Hôtel Riviera', primaryDomain: 'hotel-riviera-demo.fr', countryCode: 'FR', locale: 'fr', accountType: M365, tags: ['hospitality', 'silver'], journey: 'active', invitedDaysAgo: 120 },
  { organizationName: 'Enoteca Sant’Ambrogio', primaryDomain: 'enoteca-demo.it', countryCode: 'IT', locale: 'it', accountType: 'authorization-link', tags: ['retail'], journey: 'invited', invitedDaysAgo: 2 },
  { organizationName: 'Stadtwerke München Demo', primaryDomain: 'swm-demo.de', countryCode: 'DE', locale: 'en', accountType: M365, tags: ['energy', 'public-sector'], journey: 'active', invitedDaysAgo: 115 },
  { organizationName: 'Proseware Ltd', primaryDomain: 'proseware.co.uk', countryCode: 'GB', locale: 'en', accountType: M365, tags: ['software', 'bronze'], journey: 'revoked', invitedDaysAgo: 110 },
  { organizationName: 'Alpine Ski House', primaryDomain: 'alpineskihouse.com', countryCode: 'US', locale: 'en', accountType: M365, tags: ['hospitality'], journey: 'active', invitedDaysAgo: 105 },
  { organizationName: 'Hospital Clínic Demo', primaryDomain: 'clinic-demo.es', countryCode: 'ES', locale: 'en', accountType: M365, tags: ['healthcare'], journey: 'active', openTickets: ['Mailbox archive missing'], invitedDaysAgo: 100 },
  { organizationName: 'Koninklijke Kaas B.V.', primaryDomain: 'kaas-demo.nl', countryCode: 'NL', locale: 'en', accountType: 'local-account', tags: ['manufacturing'], journey: 'customer-managed', invitedDaysAgo: 95 },
  { organizationName: 'Trey Research', primaryDomain: 'treyresearch.net', countryCode: 'US', locale: 'en', accountType: 'salesforce-system-admin', tags: ['software', 'silver'], journey: 'active', invitedDaysAgo: 90 },
  { organizationName: 'Librairie Gallimard Démo', primaryDomain: 'librairie-demo.fr', countryCode: 'FR', locale: 'fr', accountType: 'google-super-admin', tags: ['retail', 'education'], journey: 'active', invitedDaysAgo: 85 },
  { organizationName: 'Ospedale San Raffaele Demo', primaryDomain: 'hsr-demo.it', countryCode: 'IT', locale: 'it', accountType: M365, tags: ['healthcare', 'vip'], journey: 'active', pinned: true, invitedDaysAgo: 80 },
  { organizationName: 'Graphic Design Institute', primaryDomain: 'graphicdesigninstitute.com', countryCode: 'US', locale: 'en', accountType: 'google-super-admin', tags: ['education'], journey: 'invited', invitedDaysAgo: 5 },
  { organizationName: 'Brauerei Weiß Demo', primaryDomain: 'brauerei-weiss.de', countryCode: 'DE', locale: 'en', accountType: 'local-account', tags: ['manufacturing', 'bronze'], journey: 'active', invitedDaysAgo: 75 },
  { organizationName: 'Blue Yonder Airlines', primaryDomain: 'blueyonderairlines.com', countryCode: 'US', locale: 'en', accountType: M365, tags: ['logistics', 'gold'], journey: 'active', openTickets: ['Cannot start Dynamics 365 backup'], invitedDaysAgo: 70 },
  { organizationName: 'Bodega Rioja Demo', primaryDomain: 'rioja-demo.es', countryCode: 'ES', locale: 'en', accountType: 'authorization-link', tags: ['retail'], journey: 'active', invitedDaysAgo: 65 },
  { organizationName: 'Coho Winery', primaryDomain: 'cohowinery.com', countryCode: 'US', locale: 'en', accountType: M365, tags: ['retail', 'silver'], journey: 'active', invitedDaysAgo: 60 },
  { organizationName: 'Margie’s Travel', primaryDomain: 'margiestravel.co.uk', countryCode: 'GB', locale: 'en', accountType: M365, tags: ['hospitality'], journey: 'active', invitedDaysAgo: 50 },
  { organizationName: 'Énergie Côte d’Azur Démo', primaryDomain: 'energie-azur-demo.fr', countryCode: 'FR', locale: 'fr', accountType: M365, tags: ['energy'], journey: 'invited', invitedDaysAgo: 1 },
  { organizationName: 'Politecnico di Torino Demo', primaryDomain: 'polito-demo.it', countryCode: 'IT', locale: 'it', accountType: 'google-super-admin', tags: ['education', 'public-sector'], journey: 'active', invitedDaysAgo: 40 },
  { organizationName: 'Amsterdam Fietsen Demo', primaryDomain: 'fietsen-demo.nl', countryCode: 'NL', locale: 'en', accountType: 'local-account', tags: ['retail', 'bronze'], journey: 'invited', invitedDaysAgo: 9 },
  { organizationName: 'City Power & Light', primaryDomain: 'citypowerlight.com', countryCode: 'US', locale: 'en', accountType: 'microsoft365-usgov-global-admin', tags: ['energy', 'public-sector'], journey: 'active', invitedDaysAgo: 30 },
  { organizationName: 'Kraków Software Demo', primaryDomain: 'krakow-soft-demo.pl', countryCode: 'PL', locale: 'en', accountType: M365, tags: ['software'], journey: 'active', invitedDaysAgo: 20 },
  { organizationName: 'São Paulo Logística Demo', primaryDomain: 'sp-logistica-demo.com.br', countryCode: 'BR', locale: 'en', accountType: M365, tags: ['logistics'], journey: 'revoked', invitedDaysAgo: 15 },
  { organizationName: 'Tokyo Denki Demo K.K.', primaryDomain: 'tokyo-denki-demo.jp', countryCode: 'JP', locale: 'en', accountType: M365, tags: ['manufacturing', 'gold'], journey: 'active', invitedDaysAgo: 10 },
];

/** Languages every email template exists in; any other locale falls back to English. */
export const EMAIL_LANGUAGES = ['en', 'it', 'fr'] as const;
export type EmailLanguage = (typeof EMAIL_LANGUAGES)[number];

/** The template language of a BCP 47 locale (`it-CH` → `it`; unknown → `en`). */
export function emailLanguage(locale: string | null | undefined): EmailLanguage {
  const primary = (locale ?? '').split('-')[0].toLowerCase();
  return (EMAIL_LANGUAGES as readonly string[]).includes(primary) ? (primary as EmailLanguage) : 'en';
}

const DATE_LOCALES: Record<EmailLanguage, string> = { en: 'en-GB', it: 'it-IT', fr: 'fr-FR' };

// Formatters are costly to build: one per language and style.
const DATE_FORMATS = Object.fromEntries(
  Object.entries(DATE_LOCALES).map(([l, tag]) => [l, new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })]),
) as Record<EmailLanguage, Intl.DateTimeFormat>;
const DATE_TIME_FORMATS = Object.fromEntries(
  Object.entries(DATE_LOCALES).map(([l, tag]) => [
    l,
    new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }),
  ]),
) as Record<EmailLanguage, Intl.DateTimeFormat>;

/** A date as people of that language write it, in UTC (`21 November 2026`, `21 novembre 2026`). */
export function formatDate(iso: string, language: EmailLanguage): string {
  return DATE_FORMATS[language].format(new Date(iso));
}

export function formatDateTime(iso: string, language: EmailLanguage): string {
  return DATE_TIME_FORMATS[language].format(new Date(iso));
}

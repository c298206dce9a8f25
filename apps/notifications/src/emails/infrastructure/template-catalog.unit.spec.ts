import { EMAIL_LANGUAGES, type EmailLanguage } from '../domain/email-locale';
import {
  billingReportEmail,
  EMAIL_KINDS,
  invitationEmail,
  jobDigestEmail,
  reportReadyEmail,
  scheduledExportEmail,
  verificationEmail,
  type EmailContent,
  type EmailKind,
} from '../domain/email-models';
import { TemplateCatalog } from './template-catalog';

const catalog = new TemplateCatalog();

function sample(kind: EmailKind, locale: EmailLanguage): EmailContent {
  switch (kind) {
    case 'invitation':
      return invitationEmail({
        locale,
        organizationName: 'Contoso <Ltd>',
        link: 'https://console.test/api/v1/invitations/abc:accept',
        expiresAt: '2026-01-08T09:30:00.000Z',
        draftEmail: 'Hello <b>team</b>,\n\nplease accept.\n\nRegards',
        indirectProviderId: '0193a000-0000-7000-8000-00000000abcd',
      });
    case 'email-verification':
      return verificationEmail({
        locale,
        organizationName: 'Contoso',
        link: 'https://console.test/api/v1/email-verifications/t.s:confirm',
        expiresAt: '2026-01-08T09:30:00.000Z',
        purposes: ['service', 'billing'],
      });
    case 'report-ready':
      return reportReadyEmail({ locale, organizationName: 'Contoso', reportName: 'Backups', format: 'pdf', link: 'https://console.test/r/1' });
    case 'scheduled-export':
      return scheduledExportEmail({
        locale,
        reportName: 'Cloud Backup job status report',
        format: 'xlsx',
        period: '2026-01-01',
        link: 'https://console.test/api/v1/reports/1/download?expires=1&sig=abc',
        expiresAt: '2026-01-08T08:00:00.000Z',
      });
    case 'billing-report':
      return billingReportEmail({
        locale,
        organizationName: 'Contoso',
        profileName: 'Monthly',
        frequency: 'monthly',
        period: '2026-02',
        services: [
          { name: 'cloud-backup-m365', quantity: '250 seats' },
          { name: 'risk-insights', quantity: '1 tenants' },
        ],
      });
    case 'job-digest':
      return jobDigestEmail({
        locale,
        organizationName: 'Contoso',
        profileName: 'NOC',
        intervalMinutes: 1440,
        windowStart: '2026-01-01T00:00:00.000Z',
        windowEnd: '2026-01-02T00:00:00.000Z',
        jobs: [
          { finishedAt: '2026-01-01T02:00:00.000Z', product: 'cloud-backup-m365', outcome: 'failed', jobName: 'Exchange' },
          { finishedAt: '2026-01-01T03:00:00.000Z', product: 'cloud-backup-google', outcome: 'partially-succeeded' },
        ],
      });
  }
}

/** The structure of an HTML email: its tags in order (with link targets), text dropped. */
function htmlSkeleton(html: string): string[] {
  return [...html.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>/gi)]
    .filter(([, , tag]) => !['meta', 'title', 'strong'].includes(tag.toLowerCase()))
    .map(([, close, tag, attrs]) => {
      const href = /href="([^"]*)"/.exec(attrs)?.[1];
      return `${close}${tag.toLowerCase()}${href ? `→${href}` : ''}`;
    });
}

function outline(kind: EmailKind, language: EmailLanguage) {
  const r = catalog.render(sample(kind, language));
  return {
    headings: [...r.html.matchAll(/<h1[^>]*>([^<]*)<\/h1>/g)].map((m) => m[1]),
    links: [...r.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]),
    paragraphs: (r.html.match(/<p[ >]/g) ?? []).length,
    listItems: (r.html.match(/<li>/g) ?? []).length,
    tableRows: (r.html.match(/<tr>/g) ?? []).length,
    lang: /<html lang="([a-z]+)">/.exec(r.html)?.[1],
    subject: r.subject,
    textParagraphs: r.text.split(/\n\s*\n/).filter((p) => p.trim()).length,
  };
}

describe('email templates', () => {
  it.each(EMAIL_KINDS.flatMap((kind) => EMAIL_LANGUAGES.map((language) => [kind, language] as const)))(
    '%s in %s: outline',
    (kind, language) => {
      expect(outline(kind, language)).toMatchSnapshot();
    },
  );

  it.each(EMAIL_KINDS)('%s has the same structure (tags, links) in every language', (kind) => {
    const [first, ...others] = EMAIL_LANGUAGES.map((l) => htmlSkeleton(catalog.render(sample(kind, l)).html));
    for (const other of others) expect(other).toEqual(first);
  });

  it.each(EMAIL_KINDS.flatMap((kind) => EMAIL_LANGUAGES.map((language) => [kind, language] as const)))(
    '%s in %s: every value is escaped, the text part carries the same links, nothing is left unfilled',
    (kind, language) => {
      const r = catalog.render(sample(kind, language));
      expect(r.html).not.toMatch(/<b>|<Ltd>/);
      expect(r.html).not.toContain('{{');
      expect(r.text).not.toContain('{{');
      expect(r.subject).not.toMatch(/[\r\n]/);
      for (const [, href] of r.html.matchAll(/href="([^"]*)"/g)) expect(r.text).toContain(href.replace(/&#61;/g, '=').replace(/&amp;/g, '&'));
    },
  );

  it('writes the invitation in the customer’s language with the partner’s text as paragraphs', () => {
    const it = catalog.render(sample('invitation', 'it'));
    expect(it.subject).toBe('Invito a collegare Contoso <Ltd> al vostro fornitore di servizi');
    expect(it.html).toContain('<p>Hello &lt;b&gt;team&lt;/b&gt;,</p>\n<p>please accept.</p>\n<p>Regards</p>');
    expect(it.text).toContain('scade il 8 gennaio 2026');
    const fr = catalog.render(sample('invitation', 'fr'));
    expect(fr.text).toContain('expire le 8 janvier 2026');
    expect(catalog.render({ ...sample('invitation', 'en'), language: 'en' }).text).toContain('expires on 8 January 2026');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EMAIL_LANGUAGES, type EmailLanguage } from '../domain/email-locale';
import { EMAIL_KINDS, type EmailContent, type EmailKind } from '../domain/email-models';
import { Template } from '../domain/template-renderer';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface CompiledTemplate {
  subject: Template;
  text: Template;
  html: Template;
}

const TEMPLATES_FROM_ROOT = join('apps', 'notifications', 'src', 'emails', 'templates');

/**
 * Where the template files are: beside this file when running from source (ts-node, jest), or
 * in the repository's source tree when running the compiled build (tsc copies no .html/.txt).
 */
export function findTemplatesDir(start = __dirname): string {
  const beside = join(start, '..', 'templates');
  if (existsSync(join(beside, 'en'))) return beside;
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, TEMPLATES_FROM_ROOT);
    if (existsSync(join(candidate, 'en'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`email templates not found (looked beside ${start} and for ${TEMPLATES_FROM_ROOT} above it)`);
}

/** `Subject: …` first line, an empty line, then the body. */
function splitSubject(source: string, name: string): { subject: string; body: string } {
  const m = /^Subject:[ \t]*(.*)\r?\n\r?\n/.exec(source);
  if (!m) throw new Error(`${name}: the first line must be "Subject: …" followed by an empty line`);
  return { subject: m[1], body: source.slice(m[0].length) };
}

/** Every template of every kind and language, read and parsed once at start (a broken file fails the start). */
export class TemplateCatalog {
  private readonly templates = new Map<string, CompiledTemplate>();

  constructor(dir: string = findTemplatesDir()) {
    for (const language of EMAIL_LANGUAGES) {
      for (const kind of EMAIL_KINDS) {
        const base = join(dir, language, kind);
        const { subject, body } = splitSubject(readFileSync(`${base}.txt`, 'utf8'), `${language}/${kind}.txt`);
        this.templates.set(`${language}/${kind}`, {
          subject: new Template(subject, 'text', `${language}/${kind} subject`),
          text: new Template(body, 'text', `${language}/${kind}.txt`),
          html: new Template(readFileSync(`${base}.html`, 'utf8'), 'html', `${language}/${kind}.html`),
        });
      }
    }
  }

  render(content: EmailContent): RenderedEmail {
    const t = this.templates.get(`${content.language}/${content.kind}`);
    if (!t) throw new Error(`no template ${content.language}/${content.kind}`);
    return {
      // A header: one line, whatever a value held.
      subject: t.subject.render(content.model).replace(/[\r\n]+/g, ' ').trim(),
      text: t.text.render(content.model),
      html: t.html.render(content.model),
    };
  }

  has(kind: EmailKind, language: EmailLanguage): boolean {
    return this.templates.has(`${language}/${kind}`);
  }
}

/**
 * A small, logic-less template language for the email templates (files under ../templates):
 *
 * - `{{name}}` or `{{a.b}}`: a value. In HTML templates every value is HTML-escaped; there is no
 *   way to insert raw HTML, so nothing a partner or customer typed can change the markup.
 * - `{{#name}}…{{/name}}`: a section: repeated for each item of a list (the item's fields are in
 *   scope, with the outer ones), rendered once for any other truthy value, skipped when falsy or empty.
 * - `{{^name}}…{{/name}}`: rendered only when `name` is falsy or an empty list.
 */

export type TemplateValue = string | number | boolean | null | undefined | TemplateModel | TemplateModel[];
export interface TemplateModel {
  [key: string]: TemplateValue;
}

export type TemplateMode = 'html' | 'text';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string }
  | { kind: 'section'; path: string; inverted: boolean; children: Node[] };

export class TemplateSyntaxError extends Error {}

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

export function parseTemplate(source: string, name = 'template'): Node[] {
  const root: Node[] = [];
  const stack: Array<{ path: string; children: Node[] }> = [{ path: '', children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const at = m.index;
    const current = stack[stack.length - 1];
    if (at > last) current.children.push({ kind: 'text', text: source.slice(last, at) });
    last = at + m[0].length;
    const [, sigil, path] = m;
    if (sigil === '#' || sigil === '^') {
      const section: Node = { kind: 'section', path, inverted: sigil === '^', children: [] };
      current.children.push(section);
      stack.push({ path, children: section.children });
    } else if (sigil === '/') {
      if (stack.length === 1 || current.path !== path) throw new TemplateSyntaxError(`${name}: unexpected {{/${path}}}`);
      stack.pop();
    } else {
      current.children.push({ kind: 'value', path });
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError(`${name}: {{#${stack[stack.length - 1].path}}} is not closed`);
  if (source.includes('{{', last) || /\{\{(?![\s#^/]*[A-Za-z_][A-Za-z0-9_.]*\s*\}\})/.test(source)) {
    throw new TemplateSyntaxError(`${name}: malformed tag`);
  }
  if (last < source.length) root.push({ kind: 'text', text: source.slice(last) });
  return root;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]);
}

function lookup(scopes: readonly TemplateModel[], path: string): TemplateValue {
  const [head, ...rest] = path.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (Object.prototype.hasOwnProperty.call(scope, head)) {
      let value: TemplateValue = scope[head];
      for (const key of rest) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        value = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      }
      return value;
    }
  }
  return undefined;
}

const isEmpty = (v: TemplateValue): boolean => v === undefined || v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0);

function renderNodes(nodes: readonly Node[], scopes: readonly TemplateModel[], mode: TemplateMode, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') out.push(node.text);
    else if (node.kind === 'value') {
      const v = lookup(scopes, node.path);
      if (v === undefined || v === null || typeof v === 'object') continue;
      const text = String(v);
      out.push(mode === 'html' ? escapeHtml(text) : text);
    } else {
      const v = lookup(scopes, node.path);
      if (node.inverted) {
        if (isEmpty(v)) renderNodes(node.children, scopes, mode, out);
      } else if (Array.isArray(v)) {
        for (const item of v) renderNodes(node.children, [...scopes, item], mode, out);
      } else if (!isEmpty(v)) {
        renderNodes(node.children, typeof v === 'object' && v !== null ? [...scopes, v] : scopes, mode, out);
      }
    }
  }
}

/** A parsed template, rendered many times. */
export class Template {
  private readonly nodes: Node[];

  constructor(
    source: string,
    private readonly mode: TemplateMode,
    name?: string,
  ) {
    this.nodes = parseTemplate(source, name);
  }

  render(model: TemplateModel): string {
    const out: string[] = [];
    renderNodes(this.nodes, [model], this.mode, out);
    return out.join('');
  }
}

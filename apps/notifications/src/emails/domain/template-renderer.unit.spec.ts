import { escapeHtml, Template, TemplateSyntaxError } from './template-renderer';

describe('template renderer', () => {
  it('HTML-escapes every value in HTML templates, and leaves text templates as written', () => {
    const model = { name: `<script>alert("x")</script> & 'y' \`z\` a=b` };
    expect(new Template('<p>{{name}}</p>', 'html').render(model)).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96; a&#61;b</p>',
    );
    expect(new Template('{{name}}', 'text').render(model)).toBe(model.name);
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).not.toMatch(/[<>"]/);
  });

  it('repeats sections over lists, shows them for truthy values, and inverted ones for empty values', () => {
    const t = new Template('{{#items}}[{{name}}/{{outer}}]{{/items}}{{^items}}none{{/items}}{{#flag}}!{{/flag}}{{#obj}}{{obj.a}}{{a}}{{/obj}}', 'text');
    expect(t.render({ items: [{ name: 'a' }, { name: 'b' }], outer: 'o', flag: true, obj: { a: 1 } })).toBe('[a/o][b/o]!11');
    expect(t.render({ items: [], flag: false, obj: null })).toBe('none');
  });

  it('renders missing values as nothing and never inserts objects', () => {
    expect(new Template('a{{missing}}b{{obj}}c', 'html').render({ obj: { x: 1 } })).toBe('abc');
  });

  it('rejects malformed templates when loaded', () => {
    expect(() => new Template('{{#a}}x', 'text')).toThrow(TemplateSyntaxError);
    expect(() => new Template('{{/a}}', 'text')).toThrow(TemplateSyntaxError);
    expect(() => new Template('{{#a}}{{/b}}', 'text')).toThrow(TemplateSyntaxError);
    expect(() => new Template('{{ bad tag! }}', 'text')).toThrow(TemplateSyntaxError);
    expect(() => new Template('{{{raw}}}', 'html')).toThrow(TemplateSyntaxError);
  });
});

import { decodeEncodedWords, decodeQuotedPrintable, parseMessage } from './mime';

describe('mime', () => {
  it('decodes encoded-word headers and quoted-printable text', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Invito_a_collegare_Caf=C3=A8?= =?UTF-8?B?IOKAkyBvaw==?=')).toBe('Invito a collegare Cafè – ok');
    expect(decodeQuotedPrintable('caf=C3=A8 =\r\nlong').toString('utf8')).toBe('cafè long');
  });

  it('finds the text and HTML parts of a multipart message', () => {
    const raw = [
      'From: a@b.c',
      'Subject: =?UTF-8?Q?r=C3=A9sum=C3=A9?=',
      'Content-Type: multipart/alternative; boundary="--_b"',
      '',
      '----_b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Bonjour à tous').toString('base64'),
      '----_b',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Bonjour =C3=A0 tous</p>',
      '----_b--',
      '',
    ].join('\r\n');
    const m = parseMessage(raw);
    expect(m.subject).toBe('résumé');
    expect(m.text).toBe('Bonjour à tous');
    expect(m.html).toBe('<p>Bonjour à tous</p>');
  });
});

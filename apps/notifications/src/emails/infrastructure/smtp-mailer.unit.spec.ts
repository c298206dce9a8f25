import { classifySmtpError } from './smtp-mailer';

describe('SMTP failures', () => {
  it('treats 5xx answers and unusable addresses as permanent, everything else as worth retrying', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' })).toEqual({ permanent: true, reason: 'SMTP 550 (EENVELOPE) on RCPT TO' });
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451 }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'EENVELOPE' }).permanent).toBe(true);
    expect(classifySmtpError({ code: 'ECONNECTION' })).toEqual({ permanent: false, reason: 'ECONNECTION' });
    expect(classifySmtpError({ code: 'ETIMEDOUT' }).permanent).toBe(false);
    expect(classifySmtpError(undefined)).toEqual({ permanent: false, reason: 'UNKNOWN' });
  });

  it('never quotes the server’s text (it often contains the address)', () => {
    const reason = classifySmtpError({ code: 'EENVELOPE', responseCode: 550, message: '550 5.1.1 <someone@example.com> unknown' }).reason;
    expect(reason).not.toContain('@');
  });
});

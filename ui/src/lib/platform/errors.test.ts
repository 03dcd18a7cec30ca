import { describe, expect, it } from 'vitest';
import { AppError, isErrorCode, NOT_IN_APP_MESSAGE, toAppError } from './errors';
import { NO_DETAILS } from '../../test/fixtures';
import * as platform from './index';

describe('toAppError', () => {
  it('keeps an ErrorResponse from the shell', () => {
    const err = toAppError({ code: 'unauthorized', message: 'invalid e-mail or password' });
    expect(err).toBeInstanceOf(AppError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('unauthorized');
    expect(err.message).toBe('invalid e-mail or password');
  });

  it('maps an unknown code to internal, keeping the message', () => {
    const err = toAppError({ code: 'teapot', message: 'short and stout' });
    expect(err.code).toBe('internal');
    expect(err.message).toBe('short and stout');
  });

  it('turns a bare string into an internal error', () => {
    const err = toAppError('command refresh_tickets not found');
    expect(err.code).toBe('internal');
    expect(err.message).toBe('command refresh_tickets not found');
  });

  it('turns an Error into an internal error', () => {
    const err = toAppError(new TypeError('x is undefined'));
    expect(err.code).toBe('internal');
    expect(err.message).toBe('x is undefined');
  });

  it('copes with nothing useful at all', () => {
    expect(toAppError(undefined)).toMatchObject({ code: 'internal', message: 'undefined' });
    expect(toAppError(null)).toMatchObject({ code: 'internal', message: 'null' });
    expect(toAppError(42)).toMatchObject({ code: 'internal', message: '42' });
  });

  it('returns an AppError unchanged', () => {
    const original = new AppError('network', 'offline');
    expect(toAppError(original)).toBe(original);
  });

  it('knows the codes of the bindings', () => {
    expect(isErrorCode('signed_out')).toBe(true);
    expect(isErrorCode('keyring')).toBe(true);
    expect(isErrorCode('nope')).toBe(false);
    expect(isErrorCode(3)).toBe(false);
  });
});

describe('platform outside the app', () => {
  it('rejects every call with an internal AppError', async () => {
    expect('__TAURI_INTERNALS__' in window).toBe(false);
    const calls = [
      platform.appInfo(),
      platform.session(),
      platform.login('http://127.0.0.1:1', 'a@b.c', 'pw'),
      platform.logout(),
      platform.ticketPage({ limit: 100 }),
      platform.refreshTickets(),
      platform.createTicket({
        department: 'billing',
        priority: 'regular',
        subject: 's',
        body: 'b',
        details: NO_DETAILS,
      }),
    ];
    for (const call of calls) {
      await expect(call).rejects.toMatchObject({ code: 'internal', message: NOT_IN_APP_MESSAGE });
      await expect(call).rejects.toBeInstanceOf(AppError);
    }
  });
});

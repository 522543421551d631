import { api } from '../src/api/client';
import { ApiError } from '../src/api/errors';
import { fakeBff } from './support/fake-bff';
import { errand, loggedIn } from './support/fixtures';
import { host } from './support/taro-fake';

describe('the API client', () => {
  it('sends the session token and parses the answer with the contract schema', async () => {
    loggedIn('resident');
    fakeBff.on('GET /errands/AAAAAAAAAAAAAAAAAAAAAA', [200, errand('offered')]);
    const view = await api.errand('AAAAAAAAAAAAAAAAAAAAAA');
    expect(view.status).toBe('offered');
    expect(fakeBff.requests[0]?.headers.authorization).toBe('Bearer test-token');
  });

  it('refuses an answer that does not match the contract instead of passing it on', async () => {
    loggedIn('resident');
    fakeBff.on('GET /errands', [200, { items: [{ id: 'x', status: 'teleported' }] }]);
    await expect(api.myErrands()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('forgets the session and goes back to login on 401', async () => {
    loggedIn('resident');
    fakeBff.on('GET /me', [401, { error: { code: 'UNAUTHORIZED', message: 'no session' } }]);
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(host.storage.has('linli.session')).toBe(false);
    expect(host.navigations).toEqual(['reLaunch /pages/login/index']);
  });

  it('keeps the server message when it is Chinese and lists the fields', async () => {
    loggedIn('resident');
    fakeBff.on('POST /errands/AAAAAAAAAAAAAAAAAAAAAA/deliver', [
      422,
      {
        error: { code: 'WRONG_HANDOVER_CODE', message: '交接码不对，请再问一下住户', fields: [{ path: 'handoverCode', message: '不对' }] },
      },
    ]);
    const failure = await api.deliver('AAAAAAAAAAAAAAAAAAAAAA', '0000').catch((e: unknown) => e);
    expect(failure).toMatchObject({
      status: 422,
      message: '交接码不对，请再问一下住户',
      fields: [{ path: 'handoverCode', message: '不对' }],
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BearerAuthGuard } from '../../src/auth/bearer-auth.guard.js';
import { startApp, type WsHarness } from '../websocket/support/ws-harness.js';
import { callTool } from './support/modern-http.js';

const OLD_KEY = 'old-request-state-key-0123456789abcdef';
const NEW_KEY = 'new-request-state-key-0123456789abcdef';

const title = { title: { action: 'accept', content: { title: 'Rotated' } } };
const body = { body: { action: 'accept', content: { body: 'Signed twice' } } };

describe('requestState keys shared by instances, with rotation', () => {
  let oldKeyApp: WsHarness;
  let newKeyApp: WsHarness;

  before(async () => {
    // An instance not yet rolled over, and one that signs with the new key and still verifies the old.
    oldKeyApp = await startApp({ requestState: { keys: [OLD_KEY] } });
    newKeyApp = await startApp({ requestState: { keys: [NEW_KEY, OLD_KEY] }, guards: [BearerAuthGuard] });
  });
  after(async () => {
    await oldKeyApp?.close();
    await newKeyApp?.close();
  });

  it('verifies with every listed key and signs with the first', async () => {
    const oldUrl = `${oldKeyApp.httpBase}/mcp`;
    const newUrl = `${newKeyApp.httpBase}/mcp`;
    const first = await callTool(oldUrl, 'draft_note');
    const second = await callTool(
      newUrl,
      'draft_note',
      {},
      { requestState: first.result.requestState, inputResponses: title },
    );
    assert.equal(second.result?.resultType, 'input_required', JSON.stringify(second));
    const onOld = await callTool(
      oldUrl,
      'draft_note',
      {},
      { requestState: second.result.requestState, inputResponses: body },
    );
    assert.equal(onOld.error?.code, -32602, 'signed with the new key, which the old instance does not know');
    const onNew = await callTool(
      newUrl,
      'draft_note',
      {},
      { requestState: second.result.requestState, inputResponses: body },
    );
    assert.equal(onNew.result.structuredContent.title, 'Rotated', JSON.stringify(onNew));
  });

  it('binds a state to its principal: another one, or anonymous, gets -32602', async () => {
    const url = `${newKeyApp.httpBase}/mcp`;
    const editor = { authorization: 'Bearer editor-secret' };
    const minted = await callTool(url, 'draft_note', {}, { headers: editor });
    const anonymous = await callTool(
      url,
      'draft_note',
      {},
      { requestState: minted.result.requestState, inputResponses: title },
    );
    assert.equal(anonymous.error?.code, -32602, JSON.stringify(anonymous));
    const same = await callTool(
      url,
      'draft_note',
      {},
      {
        requestState: minted.result.requestState,
        inputResponses: title,
        headers: editor,
      },
    );
    assert.equal(same.result?.resultType, 'input_required', JSON.stringify(same));
  });

  it('refuses to start with a key shorter than 32 bytes, naming which', async () => {
    await assert.rejects(startApp({ requestState: { keys: [NEW_KEY, 'short'] } }), (error: Error) => {
      assert.match(
        error.message,
        /requestState\.keys\[1\] is 5 bytes; each requestState key must be at least 32 bytes/,
      );
      return true;
    });
  });
});

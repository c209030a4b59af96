// Run with: node --test tests/js/
// Checks src/serve/reload.js, the live-reload script of `kenkomap serve`, with a fake browser:
// it polls with the token the page was served with and reloads only when the answer differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const source = readFileSync(new URL('../../src/serve/reload.js', import.meta.url), 'utf8');

/** Runs the script with `answers` as the server's replies (an Error is a network failure). */
async function run(since, answers) {
  const polled = [];
  let reloaded = false;
  const pending = [...answers];
  const browser = {
    document: { currentScript: { dataset: { since } } },
    location: { reload: () => { reloaded = true; } },
    setTimeout: (f) => setImmediate(f),
    encodeURIComponent,
    fetch: async (url) => {
      polled.push(url);
      const answer = pending.shift();
      if (answer === undefined) return new Promise(() => {}); // the server keeps waiting
      if (answer instanceof Error) throw answer;
      return { ok: true, text: async () => answer };
    },
  };
  vm.runInNewContext(source, browser);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return { polled, reloaded };
}

test('a rebuild reloads the page', async () => {
  const { polled, reloaded } = await run('a-1', ['a-1', 'a-2']);
  assert.equal(reloaded, true);
  assert.deepEqual(polled, ['/__kenkomap/reload?since=a-1', '/__kenkomap/reload?since=a-1']);
});

test('no rebuild, no reload; a network failure is retried', async () => {
  const { polled, reloaded } = await run('a-1', ['a-1', new Error('down'), 'a-1']);
  assert.equal(reloaded, false);
  assert.equal(polled.length, 4);
});

test('without a token the first answer becomes the token', async () => {
  const { polled, reloaded } = await run('', ['a-1']);
  assert.equal(reloaded, false);
  assert.deepEqual(polled, ['/__kenkomap/reload?since=', '/__kenkomap/reload?since=a-1']);
});

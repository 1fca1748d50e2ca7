// The vanilla demo page (www/index.html + demo.js), served with pkg/ by one fapi-mock that
// is also its Frontend API (as `make demo` does): sign in as a seeded user, see the
// session and user, sign out, destroy; in both dialects. Leaves a screenshot in
// target/e2e/demo-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from './lib/stack.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { pageProblems } from './lib/browser.mjs';
import { ROOT, WWW } from './lib/paths.mjs';

const [BOSS, ADA] = SEEDED_USERS;
const SHOTS = join(ROOT, 'target', 'e2e');
const copy = Object.fromEntries(['index.html', 'demo.js', 'demo.css'].map((f) => [f, join(WWW, f)]));

for (const dialect of ['current', 'seed']) {
  test(`demo page (${dialect} dialect): sign in, session and user, sign out, destroy`, async (t) => {
    const stack = await startStack({ files: {}, copy, sameOrigin: true, apiArgs: ['--dialect', dialect] });
    t.after(() => stack.close());
    const page = await stack.openPage('/');
    const text = (id) => page.locator(`#${id}`).textContent();
    const waitText = (id, want) =>
      page.waitForFunction(([id, want]) => document.getElementById(id)?.textContent === want, [id, want], { timeout: 10_000 });

    await waitText('status', 'ready');
    assert.equal(await text('signed-in'), 'signed out');
    assert.equal(await text('api'), stack.web.url);

    const user = dialect === 'seed' ? BOSS : ADA;
    await page.click(`#users button[data-identifier="${user.identifier}"]`);
    await page.click('#sign-in button[type=submit]');
    await waitText('user-name', user.name);
    assert.equal(await text('user-email'), user.identifier);
    assert.equal(await text('signed-in'), 'signed in');
    assert.equal(await text('session-status'), 'active');
    assert.match(await text('session-id'), /^sess_/);
    assert.match(await text('client-id'), /^client_/);
    const expires = Date.parse(await page.evaluate(() => window.demo.manager.session.expire_at).then((t) => new Date(t < 1e11 ? t * 1000 : t).toISOString()));
    assert.ok(expires > Date.now(), 'the session expires in the future (seconds or ms read right)');
    const causes = await page.$$eval('#log tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent));
    assert.equal(causes[0], 'piggyback', 'the newest event is the sign-in answer, applied');
    assert.ok(causes.includes('load'));
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `demo-${dialect}.png`), fullPage: true });

    await page.click('#sign-out');
    await waitText('signed-in', 'signed out');
    assert.equal(await text('user-name'), '—');
    assert.match(await text('client-id'), /^client_/, 'signing out keeps the client');

    await page.click('#destroy');
    await waitText('client-id', '—');
    assert.equal(await page.locator('#error').isHidden(), true);

    await page.click('#create');
    await page.waitForFunction(() => /^client_/.test(document.getElementById('client-id').textContent), null, { timeout: 10_000 });
    assert.deepEqual(pageProblems(page), []);
  });
}

test('demo page shows a failed sign-in', async (t) => {
  const stack = await startStack({ files: {}, copy, sameOrigin: true });
  t.after(() => stack.close());
  const page = await stack.openPage('/');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'ready', null, { timeout: 10_000 });
  await page.fill('#identifier', BOSS.identifier);
  await page.fill('#password', 'wrong-password');
  await page.click('#sign-in button[type=submit]');
  await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 10_000 });
  assert.match(await page.locator('#error').textContent(), /^http 4\d\d: /);
  assert.equal(await page.locator('#signed-in').textContent(), 'signed out');
});

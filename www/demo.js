// The vanilla demo: one ClientManager for the page's own origin (fapi-mock serves the page
// and the Frontend API in `make demo`), a sign-in form, the session and user, the manager's
// methods as buttons, and a log of its change events.
import { createClientManager } from './pkg/index.js';

const $ = (id) => document.getElementById(id);
const api = location.origin;
const MAX_LOG_ROWS = 50;

/** Wire timestamps are seconds in the seed dialect, milliseconds today. */
const toMs = (t) => (t < 1e11 ? t * 1000 : t);
const when = (t) => (typeof t === 'number' ? new Date(toMs(t)).toLocaleString() : '—');
const clock = () => new Date().toISOString().slice(11, 23);

/** The failure of the last action (e.g. a refused sign-in), shown over the snapshot's. */
let actionError = null;

function showError(error) {
  const el = $('error');
  el.hidden = !error;
  el.textContent = error
    ? `${error.kind ?? 'error'}${error.status ? ` ${error.status}` : ''}: ${error.message}`
    : '';
}

function render(s) {
  $('status').textContent = s.status;
  $('status').dataset.status = s.status;
  $('signed-in').textContent = s.isSignedIn ? 'signed in' : 'signed out';
  $('signed-in').dataset.signedIn = String(s.isSignedIn);
  $('client-id').textContent = s.client?.id ?? '—';
  $('session-id').textContent = s.session?.id ?? '—';
  $('session-status').textContent = s.session?.status ?? '—';
  $('session-expire').textContent = when(s.session?.expire_at);
  const user = s.user;
  const email = user?.email_addresses.find((e) => e.id === user.primary_email_address_id);
  $('user-name').textContent = user ? [user.first_name, user.last_name].filter(Boolean).join(' ') : '—';
  $('user-email').textContent = email?.email_address ?? '—';
  $('sign-in-card').classList.toggle('done', s.isSignedIn);
  $('sign-out').disabled = !s.isSignedIn;
  $('destroy').disabled = !s.client;
  showError(actionError ?? s.error);
}

function logEvent(s) {
  const row = document.createElement('tr');
  for (const text of [clock(), s.cause ?? '', s.version, s.status, s.isSignedIn ? 'yes' : 'no']) {
    const cell = document.createElement('td');
    cell.textContent = String(text);
    row.append(cell);
  }
  $('log').prepend(row);
  while ($('log').rows.length > MAX_LOG_ROWS) $('log').lastElementChild.remove();
}

/** Runs an action with the buttons disabled; its failure is shown until the next action
 * (the manager's own failures are also in the snapshot's `error`). */
async function run(action) {
  const buttons = [...document.querySelectorAll('button')];
  const enabled = buttons.filter((b) => !b.disabled);
  enabled.forEach((b) => (b.disabled = true));
  actionError = null;
  try {
    await action();
  } catch (error) {
    actionError = error;
  } finally {
    enabled.forEach((b) => (b.disabled = false));
    render(manager.getSnapshot());
  }
}

/** `fetch` to the Frontend API with its cookie; throws the first Clerk error. */
/** POSTs to the Frontend API with the page's cookie; resolves with the answer's text. */
async function fapi(path, body) {
  const res = await fetch(api + path, { method: 'POST', credentials: 'include', body });
  const text = await res.text();
  if (!res.ok) {
    let answer = null;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON: the status text says enough.
    }
    const first = answer?.errors?.[0];
    throw Object.assign(new Error(first?.long_message ?? first?.message ?? res.statusText), {
      kind: 'http',
      status: res.status,
    });
  }
  return text;
}

/** Hands a Frontend API answer to the manager (the client it carries applies at once);
 * asks the server if it carried none. */
async function apply(text) {
  const before = manager.getSnapshot();
  if (manager.applyResponse(text) === before) await manager.refresh();
}

$('api').textContent = api;
let manager;
try {
  manager = await createClientManager({ frontendApi: api });
} catch (error) {
  showError(error);
  throw error;
}
window.demo = { manager }; // for the console and the tests
manager.subscribe((s) => {
  render(s);
  logEvent(s);
});
render(manager.getSnapshot());

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  run(async () => {
    const answer = await fapi('/v1/client/sign_ins', new URLSearchParams({
      strategy: 'password',
      identifier: form.get('identifier'),
      password: form.get('password'),
    }));
    $('password').value = '';
    await apply(answer);
  });
});
for (const hint of document.querySelectorAll('#users button')) {
  hint.addEventListener('click', () => {
    $('identifier').value = hint.dataset.identifier;
    $('password').value = hint.dataset.password;
  });
}
$('refresh').addEventListener('click', () => run(manager.refresh));
$('create').addEventListener('click', () => run(manager.create));
$('destroy').addEventListener('click', () => run(manager.destroy));
$('sign-out').addEventListener('click', () =>
  run(async () => {
    await apply(await fapi('/v1/client/sessions?_method=DELETE'));
  }),
);

run(manager.load);

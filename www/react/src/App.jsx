import { useEffect, useRef, useState } from 'react';
import {
  useAuth,
  useClientManager,
  useSession,
  useSessions,
  useSnapshot,
  useUser,
} from 'fapi-session/react';
import {
  SEEDED,
  causeOf,
  clock,
  decodeClaims,
  describe,
  frontendApi,
  fullName,
  primaryEmail,
  secondsLeft,
  signIn,
  track,
} from '../../shared/demo.js';

// Counts this component's commits (an effect with no dependencies runs after each one) and
// writes the figure straight into the DOM, so counting causes no render itself.
function useRenderCounter() {
  const count = useRef(0);
  const node = useRef(null);
  useEffect(() => {
    count.current += 1;
    if (node.current) node.current.textContent = String(count.current);
  });
  return node;
}

export function App() {
  const manager = useClientManager();
  const [mounted, setMounted] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    // For the e2e tests and the curious: the manager in the console.
    window.fapiDemo = { manager };
  }, [manager]);

  return (
    <main>
      <h1>fapi-session · React</h1>
      <p className="hint">
        Frontend API <code>{frontendApi}</code> · package <code>fapi-session/react</code>
      </p>
      <Status />
      <SignInForm manager={manager} />
      <Controls manager={manager} />
      <p>
        <button data-testid="toggle" onClick={() => setMounted((m) => !m)}>
          {mounted ? 'Unmount' : 'Mount'} the session panel
        </button>{' '}
        <button data-testid="remount" onClick={() => setGeneration((g) => g + 1)}>
          Remount the session panel
        </button>
      </p>
      {mounted && <SessionPanel key={generation} />}
      <Accounts manager={manager} />
      <TokenPanel />
      <EventLog manager={manager} />
    </main>
  );
}

function Status() {
  const status = useSnapshot((s) => s.status);
  const isSignedIn = useSnapshot((s) => s.isSignedIn);
  const error = useSnapshot((s) => s.error);
  return (
    <section>
      <p>
        Status: <strong data-testid="status">{status}</strong> ·{' '}
        <strong data-testid="signed-in">{isSignedIn ? 'signed in' : 'signed out'}</strong>
      </p>
      {error && (
        <p className="error" data-testid="error">
          {error.kind}: {error.message}
        </p>
      )}
    </section>
  );
}

function SignInForm({ manager }) {
  const [identifier, setIdentifier] = useState(SEEDED[1].identifier);
  const [password, setPassword] = useState(SEEDED[1].password);
  const [problem, setProblem] = useState('');

  async function submit(event) {
    event.preventDefault();
    setProblem('');
    try {
      await track('sign-in', () => signIn(manager, identifier, password));
    } catch (e) {
      setProblem(String(e.message || e));
    }
  }

  function pick(user) {
    setIdentifier(user.identifier);
    setPassword(user.password);
  }

  return (
    <form onSubmit={submit} data-testid="sign-in-form">
      <fieldset disabled={!manager}>
        <legend>Sign in</legend>
        <label>
          Email <input name="identifier" value={identifier} onChange={(e) => setIdentifier(e.target.value)} />
        </label>{' '}
        <label>
          Password{' '}
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>{' '}
        <button type="submit" data-testid="sign-in">Sign in</button>
        <span className="hint">
          {' '}seeded:{' '}
          {SEEDED.map((u) => (
            <button type="button" key={u.identifier} onClick={() => pick(u)}>{u.identifier}</button>
          ))}
        </span>
        {problem && <p className="error" data-testid="sign-in-error">{problem}</p>}
      </fieldset>
    </form>
  );
}

// The buttons and a count of finished actions (its own state: re-rendering it does not
// re-render the session panel).
function Controls({ manager }) {
  const [done, setDone] = useState({ count: 0, last: '' });
  async function run(cause, action) {
    try {
      await track(cause, action);
    } catch {
      // The error is in the snapshot (Status shows it).
    }
    setDone((d) => ({ count: d.count + 1, last: cause }));
  }
  return (
    <p>
      <button data-testid="refresh" disabled={!manager} onClick={() => run('refresh', manager.refresh)}>
        Refresh
      </button>{' '}
      <button data-testid="destroy" disabled={!manager} onClick={() => run('destroy', manager.destroy)}>
        Destroy (sign out)
      </button>{' '}
      <span className="hint">
        actions done: <span data-testid="actions-done">{done.count}</span>
        {done.last && ` (last: ${done.last})`}
      </span>
    </p>
  );
}

function SessionPanel() {
  const snapshot = useSnapshot();
  const session = useSession();
  const user = useUser();
  const firstName = useSnapshot((s) => (s.user ? s.user.first_name : null));
  const renders = useRenderCounter();
  return (
    <section className="panel" data-testid="session-panel">
      <h2>Session</h2>
      <p className="hint">
        rendered <span data-testid="renders" ref={renders}>0</span> times · snapshot version{' '}
        <span data-testid="version">{snapshot.version}</span>
      </p>
      {session ? (
        <dl>
          <dt>Session</dt>
          <dd data-testid="session-id">{session.id}</dd>
          <dt>Session status</dt>
          <dd data-testid="session-status">{session.status}</dd>
          <dt>User</dt>
          <dd data-testid="user-name">{fullName(user)}</dd>
          <dt>Email</dt>
          <dd data-testid="user-email">{primaryEmail(user)}</dd>
          <dt>First name (selector)</dt>
          <dd data-testid="first-name">{firstName}</dd>
        </dl>
      ) : (
        <p data-testid="no-session">No active session.</p>
      )}
      <p className="hint">
        Client: <code data-testid="client-id">{snapshot.client ? snapshot.client.id : 'none'}</code>
      </p>
    </section>
  );
}

// Every signed-in session of this browser, with a switcher and a sign-out for each.
function Accounts({ manager }) {
  const sessions = useSessions();
  const { sessionId, signOut } = useAuth();
  if (sessions.length === 0) return null;
  return (
    <section data-testid="accounts">
      <h2>Accounts on this browser</h2>
      <ul>
        {sessions.map((s) => (
          <li key={s.id} data-testid="account">
            <span data-testid="account-name">{fullName(s.user)}</span>
            {s.id === sessionId ? (
              <strong> (active)</strong>
            ) : (
              <button data-testid="switch" onClick={() => track('switch', () => manager.setActive(s.id))}>
                Switch to
              </button>
            )}{' '}
            <button data-testid="sign-out-one" onClick={() => track('sign-out', () => signOut({ sessionId: s.id }))}>
              Sign out
            </button>
          </li>
        ))}
      </ul>
      <button data-testid="sign-out-all" onClick={() => track('sign-out', () => signOut())}>
        Sign out of all accounts
      </button>
    </section>
  );
}

// What the app's backend would get: the session token, its claims and its expiry.
function TokenPanel() {
  const { isSignedIn, sessionId, getToken } = useAuth();
  const [claims, setClaims] = useState(null);
  const [, tick] = useState(0);
  useEffect(() => {
    if (!claims) return undefined;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [claims]);
  useEffect(() => {
    // Another account (or none): the claims shown are no longer the active session's.
    setClaims(null);
  }, [sessionId]);
  if (!isSignedIn) return null;
  async function show() {
    const jwt = await getToken();
    setClaims(jwt ? decodeClaims(jwt) : null);
  }
  return (
    <section data-testid="token-panel">
      <h2>Session token</h2>
      <button data-testid="get-token" onClick={show}>getToken()</button>
      {claims && (
        <dl>
          <dt>sid</dt>
          <dd data-testid="token-sid">{claims.sid}</dd>
          <dt>sub</dt>
          <dd data-testid="token-sub">{claims.sub}</dd>
          <dt>expires in</dt>
          <dd data-testid="token-expiry">{secondsLeft(claims)} s</dd>
        </dl>
      )}
    </section>
  );
}

function EventLog({ manager }) {
  const [events, setEvents] = useState([]);
  useEffect(() => {
    if (!manager) return undefined;
    return manager.subscribe((snapshot) => {
      const entry = { at: clock(), cause: causeOf(snapshot), text: describe(snapshot), key: snapshot.version };
      setEvents((list) => [entry, ...list].slice(0, 50));
    });
  }, [manager]);
  return (
    <section>
      <h2>Events</h2>
      <ol data-testid="event-log" reversed>
        {events.map((e) => (
          <li key={e.key}>
            <time>{e.at}</time> <strong className="cause">{e.cause}</strong> {e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

// The login screen: a plain form (labels, autocomplete, Enter submits), errors in plain
// words in the current language, and a notice when a session has ended.

import { loginErrorText } from '../auth';
import { byId } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { Lang } from '../types';

export type LoginNotice = 'expired' | 'signedOut' | null;

export interface LoginScreen {
  /** show displays the screen; `notice` replaces the current notice unless undefined. */
  show(notice?: LoginNotice): void;
  hide(): void;
  /** applyText writes the screen's text (and any error) in the given language. */
  applyText(lang: Lang): void;
  readonly visible: boolean;
}

export interface LoginOptions {
  lang(): Lang;
  /** submit signs in; it throws (an ApiError) when the server refuses. */
  submit(username: string, password: string): Promise<void>;
}

const NOTICE: Record<Exclude<LoginNotice, null>, MessageKey> = {
  expired: 'loginExpired',
  signedOut: 'loginSignedOut',
};

type Problem = { key: MessageKey } | { err: unknown };

export function createLoginScreen(opts: LoginOptions): LoginScreen {
  const root = byId('login');
  const form = byId<HTMLFormElement>('login-form');
  const user = byId<HTMLInputElement>('login-username');
  const pass = byId<HTMLInputElement>('login-password');
  const submit = byId<HTMLButtonElement>('login-submit');
  const error = byId('login-error');
  const noticeEl = byId('login-notice');
  let notice: LoginNotice = null;
  let problem: Problem | null = null;
  let busy = false;

  function text(id: string, key: MessageKey): void {
    byId(id).textContent = t(opts.lang(), key);
  }

  function renderProblem(): void {
    const L = opts.lang();
    // The alert region stays in the page (empty when there is nothing to say), so
    // screen readers announce each new message.
    error.textContent = problem === null ? '' : 'key' in problem ? t(L, problem.key) : loginErrorText(problem.err, L);
  }

  function renderNotice(): void {
    noticeEl.textContent = notice ? t(opts.lang(), NOTICE[notice]) : '';
  }

  function applyText(): void {
    text('login-title', 'loginTitle');
    text('login-intro', 'loginIntro');
    text('label-username', 'loginUser');
    text('label-password', 'loginPassword');
    text('login-help', 'loginHelp');
    submit.textContent = t(opts.lang(), busy ? 'loginBusy' : 'loginSubmit');
    renderNotice();
    renderProblem();
  }

  function setBusy(on: boolean): void {
    busy = on;
    submit.disabled = on;
    form.setAttribute('aria-busy', String(on));
    submit.textContent = t(opts.lang(), on ? 'loginBusy' : 'loginSubmit');
  }

  function fail(p: Problem, field: HTMLInputElement | null): void {
    problem = p;
    // Empty the region first: the same message twice in a row is announced again.
    error.textContent = '';
    window.setTimeout(renderProblem, 30);
    for (const f of [user, pass]) f.removeAttribute('aria-invalid');
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const u = user.value.trim();
    const p = pass.value;
    if (!u || !p) {
      const key: MessageKey = !u && !p ? 'loginMissing' : !u ? 'loginMissingUser' : 'loginMissingPassword';
      fail({ key }, !u ? user : pass);
      if (!u && !p) pass.setAttribute('aria-invalid', 'true');
      return;
    }
    setBusy(true);
    notice = null;
    renderNotice();
    try {
      await opts.submit(u, p);
      problem = null;
      pass.value = '';
      for (const f of [user, pass]) f.removeAttribute('aria-invalid');
      renderProblem();
    } catch (err) {
      pass.value = '';
      fail({ err }, pass);
    } finally {
      setBusy(false);
    }
  });

  // Typing again clears the red state of that field (the message stays until the next try).
  for (const f of [user, pass]) f.addEventListener('input', () => f.removeAttribute('aria-invalid'));

  return {
    get visible() {
      return !root.hidden;
    },
    show(next?: LoginNotice) {
      if (next !== undefined) {
        notice = next;
        problem = null;
        pass.value = '';
      }
      const wasHidden = root.hidden;
      root.hidden = false;
      applyText();
      if (wasHidden) (user.value ? pass : user).focus();
    },
    hide() {
      root.hidden = true;
      problem = null;
      notice = null;
    },
    applyText,
  };
}

// The signed-in user in the header: name, role (as a tooltip) and the logout button.

import { byId } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { Store } from '../store';
import type { Me } from '../types';

/** Account is the header's account box. */
export interface Account {
  /** render shows the user (null: nobody). */
  render(me: Me | null): void;
}

/** createAccount fills #account; `signOut` runs when the logout button is pressed. */
export function createAccount(store: Store, signOut: () => Promise<void>): Account {
  const caption = byId('account-caption');
  const name = byId('account-name');
  const logout = byId<HTMLButtonElement>('logout');

  logout.addEventListener('click', async () => {
    logout.disabled = true;
    try {
      await signOut();
    } finally {
      logout.disabled = false;
    }
  });

  return {
    render(me) {
      const L = store.get().view.lang;
      caption.textContent = `${t(L, 'account')}:`;
      name.textContent = me?.username ?? '';
      name.title = me ? t(L, `role${me.role}` as MessageKey) : '';
      logout.textContent = t(L, 'logout');
    },
  };
}

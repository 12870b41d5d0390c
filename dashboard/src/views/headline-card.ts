// The headline sentence leaders copy into their reports, with its copy button.

import { byId } from '../dom';
import { headline } from '../headline';
import { t } from '../i18n';
import type { Store } from '../store';
import type { Lang, Stats } from '../types';
import type { Section } from './section';

/** subjectName is what the headline calls the organization being shown. */
export function subjectName(s: Stats, lang: Lang): string {
  if (s.organization) return s.organization.name;
  if (s.children.length === 1) return s.children[0]!.organization.name;
  return t(lang, 'allOrganizations');
}

/** createHeadlineCard fills #headline; #copy puts the sentence on the clipboard. */
export function createHeadlineCard(store: Store): Section {
  const el = byId('headline');
  const copy = byId<HTMLButtonElement>('copy');
  const copyStatus = byId('copy-status');

  copy.addEventListener('click', async () => {
    const text = el.textContent ?? '';
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(el);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      ok = document.execCommand?.('copy') ?? false;
    }
    copyStatus.textContent = t(store.get().view.lang, ok ? 'copied' : 'copyFailed');
    window.setTimeout(() => (copyStatus.textContent = ''), 2500);
  });

  return {
    applyText(L) {
      copy.textContent = t(L, 'copy');
    },
    render({ stats: s, view }) {
      const L = view.lang;
      el.textContent = headline(
        {
          subject: subjectName(s, L),
          from: s.from,
          to: s.to,
          admitted: s.admitted,
          targetAttainment: s.targetAttainment,
          professionalLevel: s.professionalLevel,
        },
        L,
      );
    },
    clear: () => el.replaceChildren(),
  };
}

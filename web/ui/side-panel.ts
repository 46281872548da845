// The side panel (chats, settings, models): a column on the right that collapses on desktop, a
// drawer over the chat on phones. The state is `data-panel` on <html>; without it the CSS default
// applies (open on desktop, closed on phones), so the first paint needs no script.
import { element } from './dom.js';

const PHONE = '(max-width: 47.99rem)';

export function setUpSidePanel(): void {
  const root = document.documentElement;
  const side = element('side', HTMLElement);
  const toggle = element('panel-toggle', HTMLButtonElement);
  const phone = matchMedia(PHONE);
  const isOpen = (): boolean => getComputedStyle(side).display !== 'none';
  const sync = (): void => toggle.setAttribute('aria-expanded', String(isOpen()));

  // Only the state that differs from the width's default is stored, so a drawer opened on a phone
  // is still open on a wider screen, and a panel shown on desktop is not a drawer over a phone's chat.
  const set = (open: boolean): void => {
    const state = phone.matches ? (open ? 'open' : undefined) : open ? undefined : 'closed';
    if (state === undefined) delete root.dataset['panel'];
    else root.dataset['panel'] = state;
    sync();
    // On a phone the drawer covers the chat: focus goes into it, and back to the toggle after.
    if (phone.matches) (open ? element('panel-close', HTMLButtonElement) : toggle).focus();
  };

  toggle.addEventListener('click', () => set(!isOpen()));
  element('panel-close', HTMLButtonElement).addEventListener('click', () => set(false));
  element('backdrop', HTMLElement).addEventListener('click', () => set(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && phone.matches && isOpen()) set(false);
  });
  phone.addEventListener('change', sync);
  // Whoever changes the state (this code, a test, another script), the button tells it truly.
  new MutationObserver(sync).observe(root, { attributes: true, attributeFilter: ['data-panel'] });
  sync();
}

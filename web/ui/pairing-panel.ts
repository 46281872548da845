// "Paired web pages": when the app is served by a sidecar, pages on other origins that asked to
// use it (POST /pair) wait here with the code they show, for the user to approve or deny; paired
// origins are listed with Revoke. Served without a sidecar (no /pair/requests), the panel stays hidden.
import { describeError } from './describe-error.js';
import { element, make } from './dom.js';

interface PendingBody {
  data: Array<{ id: string; origin: string; code: string }>;
}

interface PairingsBody {
  data: Array<{ origin: string; paired_at: string }>;
}

/** How often the waiting list is read: a page that asked should not wait long to appear. */
const POLL_MS = 2000;

export class PairingPanel {
  readonly #panel = element('pairing-panel', HTMLDetailsElement);
  readonly #requests = element('pairing-requests', HTMLUListElement);
  readonly #paired = element('pairing-list', HTMLUListElement);
  readonly #message = element('pairing-message', HTMLParagraphElement);
  readonly #key = element('pairing-key', HTMLInputElement);
  /** The waiting list as last drawn, so polling does not redraw (and steal a click) when nothing changed. */
  #shown = '';

  /** Starts polling if this page is served by a sidecar. */
  async start(): Promise<void> {
    this.#key.addEventListener('change', () => void this.refresh());
    if ((await this.refresh()) === 'no-sidecar') return;
    this.#panel.hidden = false;
    const tick = (): void => {
      setTimeout(() => void this.refresh().finally(tick), POLL_MS);
    };
    tick();
  }

  async refresh(): Promise<'ok' | 'no-sidecar' | 'failed'> {
    try {
      const pending = await this.#call<PendingBody>('GET', '/pair/requests');
      if (pending === undefined) return 'no-sidecar';
      const pairings = await this.#call<PairingsBody>('GET', '/pairings');
      const drawn = JSON.stringify([pending.data, pairings?.data ?? []]);
      if (drawn !== this.#shown) {
        this.#shown = drawn;
        this.#draw(pending, pairings ?? { data: [] });
      }
      return 'ok';
    } catch (error) {
      this.#message.textContent = describeError(error);
      return 'failed';
    }
  }

  #draw(pending: PendingBody, pairings: PairingsBody): void {
    this.#requests.replaceChildren(
      ...pending.data.map((request) => {
        const item = make('li', '', 'pairing-request');
        const text = make('span', `${request.origin} asks to use this server. Approve only if that page shows the code `);
        text.append(make('strong', request.code, 'pairing-code'), '.');
        const approve = make('button', 'Approve');
        const deny = make('button', 'Deny');
        approve.type = deny.type = 'button';
        approve.addEventListener('click', () => void this.#act('POST', `/pair/requests/${encodeURIComponent(request.id)}/approve`, `${request.origin} is paired.`));
        deny.addEventListener('click', () => void this.#act('POST', `/pair/requests/${encodeURIComponent(request.id)}/deny`, `${request.origin} was denied.`));
        item.append(text, approve, deny);
        return item;
      }),
    );
    this.#paired.replaceChildren(
      ...pairings.data.map((pairing) => {
        const item = make('li', `${pairing.origin} `, 'pairing');
        const revoke = make('button', 'Revoke');
        revoke.type = 'button';
        revoke.addEventListener('click', () => void this.#act('DELETE', `/pairings?origin=${encodeURIComponent(pairing.origin)}`, `${pairing.origin} is no longer paired.`));
        item.append(revoke);
        return item;
      }),
    );
    if (pending.data.length === 0 && pairings.data.length === 0) this.#paired.append(make('li', 'No web page is paired with this server.', 'hint'));
  }

  async #act(method: string, path: string, done: string): Promise<void> {
    try {
      await this.#call(method, path);
      this.#message.textContent = done;
    } catch (error) {
      this.#message.textContent = describeError(error);
    }
    await this.refresh();
  }

  /** undefined when this origin has no pairing routes (no sidecar behind the page). */
  async #call<T>(method: string, path: string): Promise<T | undefined> {
    const key = this.#key.value.trim();
    const response = await fetch(path, { method, headers: key === '' ? {} : { authorization: `Bearer ${key}` }, cache: 'no-store' });
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    if (!isJson) return undefined;
    const body = (await response.json()) as T & { error?: { message?: string } };
    if (response.status === 401) {
      this.#key.hidden = false;
      this.#key.previousElementSibling?.removeAttribute('hidden');
      throw new Error('This server needs its API key to manage pairings: enter it below.');
    }
    if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}`);
    return body;
  }
}

// The model picker, filled from /v1/models like any OpenAI client would: in-tab models and, when a
// sidecar is connected, the sidecar's (marked so the user knows where it runs).
import { listModels } from './api-call.js';
import { element, make } from './dom.js';
import { loadSetting, saveSetting } from './settings-storage.js';

export interface PickedModel {
  id: string;
  owner: string;
}

export class ModelPicker {
  readonly #select = element('model', HTMLSelectElement);
  #owners = new Map<string, string>();

  readonly #fetchApi: typeof fetch;
  readonly #onPick: (model: PickedModel) => void;

  constructor(
    fetchApi: typeof fetch,
    onPick: (model: PickedModel) => void,
  ) {
    this.#fetchApi = fetchApi;
    this.#onPick = onPick;
    this.#select.addEventListener('change', () => {
      saveSetting('model', this.#select.value);
      this.#onPick(this.selected());
    });
  }

  selected(): PickedModel {
    return { id: this.#select.value, owner: this.#owners.get(this.#select.value) ?? 'browser' };
  }

  async refresh(): Promise<void> {
    const models = await listModels(this.#fetchApi);
    this.#owners = new Map(models.map((m) => [m.id, m.owned_by]));
    const wanted = this.#select.value || loadSetting('model');
    this.#select.replaceChildren(
      ...models.map((m) => {
        const option = make('option', m.owned_by === 'sidecar' ? `${m.id} (sidecar)` : m.id);
        option.value = m.id;
        return option;
      }),
    );
    if (wanted !== undefined && this.#owners.has(wanted)) this.#select.value = wanted;
    this.#onPick(this.selected());
  }
}

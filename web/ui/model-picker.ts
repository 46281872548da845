// The model picker, filled from /v1/models like any OpenAI client would: in-tab models and, when a
// sidecar is connected, the sidecar's (marked so the user knows where it runs).
import { listModels, type ListedModel } from './api-call.js';
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
    const option = (m: ListedModel): HTMLOptionElement => {
      const item = make('option', m.owned_by === 'sidecar' ? `${m.id} (sidecar)` : m.id);
      item.value = m.id;
      return item;
    };
    const inSidecar = models.filter((m) => m.owned_by === 'sidecar');
    if (inSidecar.length === 0) {
      this.#select.replaceChildren(...models.map(option));
    } else {
      // Where each model runs is the choice: the same name may exist in both places.
      const group = (label: string, list: ListedModel[]): HTMLOptGroupElement => {
        const node = make('optgroup');
        node.label = label;
        node.append(...list.map(option));
        return node;
      };
      this.#select.replaceChildren(
        group('Runs in this tab', models.filter((m) => m.owned_by !== 'sidecar')),
        group('Runs in the sidecar (native, CPU or GPU)', inSidecar),
      );
    }
    if (wanted !== undefined && this.#owners.has(wanted)) this.#select.value = wanted;
    this.#onPick(this.selected());
  }
}

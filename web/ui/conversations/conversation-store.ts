// Conversations in IndexedDB: kept across reloads and offline (it is local storage of this origin,
// like the models in OPFS). One object store keyed by id; lists are small, so they are read whole.
import type { Conversation } from './conversation.js';

const DB_NAME = 'hearth-chats';
const STORE = 'conversations';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed.'));
  });
}

export class ConversationStore {
  readonly #db: IDBDatabase;

  private constructor(db: IDBDatabase) {
    this.#db = db;
  }

  static async open(): Promise<ConversationStore> {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'id' });
    return new ConversationStore(await request(opening));
  }

  /** All conversations, most recently updated first. */
  async list(): Promise<Conversation[]> {
    const all = await request(this.#store('readonly').getAll() as IDBRequest<Conversation[]>);
    return all.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async get(id: string): Promise<Conversation | undefined> {
    return request(this.#store('readonly').get(id) as IDBRequest<Conversation | undefined>);
  }

  async put(chat: Conversation): Promise<void> {
    // A structured clone of plain data: the caller keeps mutating its own copy while streaming.
    await request(this.#store('readwrite').put(structuredClone(chat)));
  }

  async delete(id: string): Promise<void> {
    await request(this.#store('readwrite').delete(id));
  }

  #store(mode: IDBTransactionMode): IDBObjectStore {
    return this.#db.transaction(STORE, mode).objectStore(STORE);
  }
}

// The configured galleries' indexes, fetched on demand and kept for a short while so that listing
// then installing does not fetch a multi-megabyte index twice.
import { ApiError } from '../base/api-error.js';
import type { GalleryEntry, GalleryRef } from './gallery-types.js';
import { fetchUriText, MAX_INDEX_BYTES, type HubAccess } from './hub-access.js';
import { parseGalleryIndex } from './parse-gallery-index.js';
import { GalleryFormatError } from './yaml-fields.js';

export interface LoadedGallery {
  gallery: GalleryRef;
  entries: GalleryEntry[];
  /** Entries skipped as malformed, or why the whole index could not be read. */
  problems: string[];
}

export interface FoundEntry {
  gallery: GalleryRef;
  entry: GalleryEntry;
}

/** How long a fetched index is reused, in milliseconds. */
const CACHE_MS = 5 * 60 * 1000;

export class GalleryIndexes {
  readonly #cache = new Map<string, { at: number; loading: Promise<LoadedGallery> }>();

  readonly #hub: HubAccess;
  readonly #now: () => number;

  constructor(
    readonly galleries: readonly GalleryRef[],
    hub: HubAccess,
    /** Milliseconds since the epoch. */
    now: () => number,
  ) {
    this.#hub = hub;
    this.#now = now;
  }

  /** Every gallery's entries; a gallery that cannot be read is reported in `problems`, not thrown. */
  async loadAll(): Promise<LoadedGallery[]> {
    return Promise.all(this.galleries.map((gallery) => this.#load(gallery)));
  }

  #load(gallery: GalleryRef): Promise<LoadedGallery> {
    const key = `${gallery.name}\n${gallery.url}`;
    const cached = this.#cache.get(key);
    if (cached && this.#now() - cached.at < CACHE_MS) return cached.loading;
    const loading = this.#fetchIndex(gallery);
    this.#cache.set(key, { at: this.#now(), loading });
    // Failures are not cached: the next call tries again (the network may be back).
    loading.then(
      (loaded) => loaded.entries.length === 0 && loaded.problems.length > 0 && this.#cache.delete(key),
      () => this.#cache.delete(key),
    );
    return loading;
  }

  async #fetchIndex(gallery: GalleryRef): Promise<LoadedGallery> {
    try {
      const text = await fetchUriText(this.#hub, gallery.url, MAX_INDEX_BYTES);
      const parsed = parseGalleryIndex(text, `gallery "${gallery.name}" (${gallery.url})`);
      return { gallery, entries: parsed.entries, problems: parsed.problems };
    } catch (error) {
      if (error instanceof ApiError || error instanceof GalleryFormatError) return { gallery, entries: [], problems: [`gallery "${gallery.name}": ${error.message}`] };
      throw error;
    }
  }

  /** `gallery@name`, or a bare name found in exactly one gallery. Throws ApiError 404/400. */
  async find(id: string): Promise<FoundEntry> {
    const at = id.indexOf('@');
    const galleryName = at >= 0 ? id.slice(0, at) : undefined;
    const modelName = at >= 0 ? id.slice(at + 1) : id;
    const galleries = galleryName === undefined ? this.galleries : this.galleries.filter((g) => g.name === galleryName);
    if (galleryName !== undefined && galleries.length === 0) {
      const known = this.galleries.map((g) => g.name).join(', ') || 'none (set --galleries)';
      throw new ApiError('not_found', `There is no gallery named "${galleryName}". Configured galleries: ${known}.`, { param: 'id', code: 'gallery_not_found' });
    }
    const loaded = await Promise.all(galleries.map((gallery) => this.#load(gallery)));
    const matches = loaded.flatMap(({ gallery, entries }) => entries.filter((entry) => entry.name === modelName).map((entry) => ({ gallery, entry })));
    const [first, second] = matches;
    if (first === undefined) {
      const problems = loaded.flatMap((l) => l.problems).slice(0, 3);
      const why = problems.length > 0 ? ` Problems reading galleries: ${problems.join('; ')}` : '';
      throw new ApiError('not_found', `No gallery has a model named "${modelName}". See GET /models/available.${why}`, { param: 'id', code: 'model_not_in_gallery' });
    }
    if (second !== undefined) {
      throw new ApiError('invalid_request', `"${modelName}" is in several galleries (${matches.map((m) => m.gallery.name).join(', ')}): write it as gallery@${modelName}.`, {
        param: 'id',
        code: 'ambiguous_model',
      });
    }
    return first;
  }
}

// The galleries setting, read at start-up (before the gallery panel, which loads later).
import type { GalleryRef } from '../../shared/galleries/gallery-types.js';

/** The galleries setting: a JSON list of {"name","url"}, as the sidecar's --galleries. */
export function parseGalleriesSetting(text: string | undefined): GalleryRef[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`The galleries setting is not JSON: write a list such as [{"name": "localai", "url": "https://…/index.yaml"}].`);
  }
  const valid =
    Array.isArray(value) &&
    value.every((item: unknown) => typeof item === 'object' && item !== null && typeof (item as GalleryRef).name === 'string' && typeof (item as GalleryRef).url === 'string');
  if (!valid) throw new Error(`The galleries setting must be a JSON list of {"name": "...", "url": "..."}, but it is ${text}.`);
  return (value as GalleryRef[]).map(({ name, url }) => ({ name, url }));
}

// Which files an install wrote, kept next to them, so `delete` removes exactly those and never a
// file the user put there. Dot-prefixed and .json, so the catalog never mistakes it for a model.
import type { ModelStore } from '../models/model-store.js';

export interface InstallRecord {
  name: string;
  stem: string;
  source: string;
  /** Every file the install wrote: weights, templates, then the config. */
  files: string[];
}

export function recordFileName(stem: string): string {
  return `.hearth-install.${stem}.json`;
}

const RECORD = /^\.hearth-install\..+\.json$/;

function isRecord(value: unknown): value is InstallRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['name'] === 'string' &&
    typeof v['stem'] === 'string' &&
    typeof v['source'] === 'string' &&
    Array.isArray(v['files']) &&
    v['files'].every((file) => typeof file === 'string')
  );
}

export function parseInstallRecord(text: string | undefined): InstallRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function readInstallRecord(store: ModelStore, stem: string): Promise<InstallRecord | undefined> {
  return parseInstallRecord(await store.readText(recordFileName(stem)));
}

export async function readAllInstallRecords(store: ModelStore): Promise<InstallRecord[]> {
  const names = (await store.listFiles()).filter((file) => RECORD.test(file));
  const records = await Promise.all(names.map(async (file) => parseInstallRecord(await store.readText(file))));
  return records.filter((record): record is InstallRecord => record !== undefined);
}

// Finds a GPTQ repo's quantize config and checkpoint, and indexes every tensor by name across shards.
// Checkpoint lookup follows AutoGPTQ's from_quantized (what LocalAI's autogptq backend called):
// the config's model_base_name, else quantize_config's model_file_base_name, else
// "gptq_model-<bits>bit-<group_size>g" then "model"; for each, "<base>.safetensors.index.json"
// (shards) before "<base>.safetensors" (AutoGPTQ's get_checkpoints). A RepoSource cannot list
// files, so a checkpoint under any other name needs model_base_name.
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { readRepoJson } from './repo-files.js';
import type { RepoSource } from './repo-source.js';
import { readSafetensorsHeader, type SafetensorsEntry } from './safetensors.js';

export interface GptqQuantizeConfig {
  readonly bits: 2 | 3 | 4 | 8;
  /** -1: one group per row. */
  readonly groupSize: number;
  readonly descAct: boolean;
  readonly sym: boolean;
  /** 1 for "gptq" (v1: stored zero is z - 1), 0 for "gptq_v2". */
  readonly zeroOffset: 0 | 1;
  readonly modelFileBaseName: string | undefined;
}

type Json = Record<string, unknown>;

export async function readQuantizeConfig(repo: RepoSource, config: Json): Promise<GptqQuantizeConfig> {
  let raw = await readRepoJson(repo, 'quantize_config.json');
  let where = `${repo.name}/quantize_config.json`;
  if (raw === undefined) {
    const inConfig = config['quantization_config'];
    if (typeof inConfig !== 'object' || inConfig === null || Array.isArray(inConfig)) {
      throw badModelFile(repo.name, 'it has no quantize_config.json, and its config.json has no quantization_config, so it is not a GPTQ checkpoint.');
    }
    raw = inConfig as Json;
    where = `${repo.name}/config.json (quantization_config)`;
  }
  const method = raw['quant_method'];
  if (method !== undefined && method !== 'gptq') throw badModelFile(where, `it is quantized with "${String(method)}", not GPTQ; backend autogptq converts GPTQ checkpoints only.`);
  const bits = raw['bits'];
  if (bits !== 2 && bits !== 3 && bits !== 4 && bits !== 8) throw badModelFile(where, `it uses ${String(bits)}-bit weights; GPTQ checkpoints of 2, 3, 4 or 8 bits convert.`);
  const groupSize = raw['group_size'] ?? -1;
  if (!Number.isInteger(groupSize) || ((groupSize as number) < 1 && groupSize !== -1)) throw badModelFile(where, `its group_size ${String(groupSize)} is not a positive number or -1.`);
  const format = raw['checkpoint_format'] ?? (raw['is_marlin_format'] === true ? 'marlin' : 'gptq');
  if (format !== 'gptq' && format !== 'gptq_v2') throw badModelFile(where, `its checkpoint_format "${String(format)}" is not one this converter reads ("gptq" or "gptq_v2").`);
  const base = raw['model_file_base_name'];
  return {
    bits,
    groupSize: groupSize as number,
    descAct: raw['desc_act'] === true,
    sym: raw['sym'] !== false,
    zeroOffset: format === 'gptq' ? 1 : 0,
    modelFileBaseName: typeof base === 'string' && base !== '' ? base : undefined,
  };
}

export function checkpointBaseNames(modelBaseName: string | undefined, quant: GptqQuantizeConfig): string[] {
  const given = modelBaseName?.replace(/\.safetensors$/, '');
  if (given !== undefined && given !== '') return [given];
  if (quant.modelFileBaseName !== undefined) return [quant.modelFileBaseName];
  return [`gptq_model-${quant.bits}bit-${quant.groupSize}g`, 'model'];
}

/** Every tensor of the checkpoint, by name, each knowing its shard. */
export async function readCheckpoint(repo: RepoSource, baseNames: readonly string[]): Promise<Map<string, SafetensorsEntry>> {
  const tried: string[] = [];
  for (const base of baseNames) {
    const indexPath = `${base}.safetensors.index.json`;
    tried.push(indexPath);
    const index = await readRepoJson(repo, indexPath);
    if (index !== undefined) return readShards(repo, indexPath, index);
    const single = `${base}.safetensors`;
    tried.push(single);
    const source = await repo.file(single);
    if (source !== undefined) return readSafetensorsHeader(source);
  }
  throw badModelFile(repo.name, `its checkpoint is missing: looked for ${tried.join(', ')}. Set model_base_name to the checkpoint's file name (without .safetensors), or download the file.`);
}

async function readShards(repo: RepoSource, indexPath: string, index: Json): Promise<Map<string, SafetensorsEntry>> {
  const map = index['weight_map'];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw badModelFile(`${repo.name}/${indexPath}`, 'it has no weight_map.');
  const wanted = new Map<string, string>();
  for (const [tensor, file] of Object.entries(map)) {
    if (typeof file !== 'string') throw badModelFile(`${repo.name}/${indexPath}`, `its weight_map entry for "${tensor}" is not a file name.`);
    wanted.set(tensor, file);
  }
  const all = new Map<string, SafetensorsEntry>();
  const shards = new Map<string, ByteSource>();
  for (const file of new Set(wanted.values())) {
    const source = await repo.file(file);
    if (source === undefined) throw badModelFile(repo.name, `its shard ${file} (listed in ${indexPath}) is missing. Download it.`);
    shards.set(file, source);
    for (const [name, entry] of await readSafetensorsHeader(source)) all.set(name, entry);
  }
  for (const [tensor, file] of wanted) {
    if (all.get(tensor)?.source !== shards.get(file)) throw badModelFile(`${repo.name}/${file}`, `it has no tensor "${tensor}", which ${indexPath} places there.`);
  }
  return all;
}

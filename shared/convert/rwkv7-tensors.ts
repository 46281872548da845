// rwkv.cpp's RWKV v7 tensors under llama.cpp's rwkv7 names and shapes (llama.cpp's
// llama_model_rwkv7::load_arch_tensors). rwkv.cpp already stores the LoRA matrices transposed the
// way llama.cpp wants them (w1 as {n_embd, rank}) and the six token-shift mixes fused as x_rwkvag
// (order r, w, k, v, a, g, llama.cpp's time_mix_lerp_fused); the rest is renaming and squeezing.

export interface MappedTensor {
  name: string;
  dims: number[];
}

const FIXED: Record<string, string> = {
  'emb.weight': 'token_embd.weight',
  'blocks.0.ln0.weight': 'token_embd_norm.weight',
  'blocks.0.ln0.bias': 'token_embd_norm.bias',
  'ln_out.weight': 'output_norm.weight',
  'ln_out.bias': 'output_norm.bias',
  'head.weight': 'output.weight',
};

const PER_BLOCK: Record<string, string> = {
  'ln1.weight': 'attn_norm.weight',
  'ln1.bias': 'attn_norm.bias',
  'ln2.weight': 'attn_norm_2.weight',
  'ln2.bias': 'attn_norm_2.bias',
  'att.x_rwkvag': 'time_mix_lerp_fused.weight',
  'att.w0': 'time_mix_w0.weight',
  'att.w1': 'time_mix_w1.weight',
  'att.w2': 'time_mix_w2.weight',
  'att.a0': 'time_mix_a0.weight',
  'att.a1': 'time_mix_a1.weight',
  'att.a2': 'time_mix_a2.weight',
  'att.v0': 'time_mix_v0.weight',
  'att.v1': 'time_mix_v1.weight',
  'att.v2': 'time_mix_v2.weight',
  'att.g1': 'time_mix_g1.weight',
  'att.g2': 'time_mix_g2.weight',
  'att.k_k': 'time_mix_k_k.weight',
  'att.k_a': 'time_mix_k_a.weight',
  'att.r_k': 'time_mix_r_k.weight',
  'att.receptance.weight': 'time_mix_receptance.weight',
  'att.key.weight': 'time_mix_key.weight',
  'att.value.weight': 'time_mix_value.weight',
  'att.output.weight': 'time_mix_output.weight',
  'att.ln_x.weight': 'time_mix_ln.weight',
  'att.ln_x.bias': 'time_mix_ln.bias',
  'ffn.x_k': 'channel_mix_lerp_k.weight',
  'ffn.key.weight': 'channel_mix_key.weight',
  'ffn.value.weight': 'channel_mix_value.weight',
};

const count = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

/** The GGUF name and dims of an rwkv.cpp v7 tensor, or undefined for a tensor rwkv7 does not have. */
export function mapRwkv7Tensor(name: string, dims: readonly number[]): MappedTensor | undefined {
  const fixed = FIXED[name];
  if (fixed !== undefined) return { name: fixed, dims: [...dims] };
  const m = /^blocks\.(\d+)\.(.+)$/.exec(name);
  const part = m === null ? undefined : PER_BLOCK[m[2] ?? ''];
  if (m === null || part === undefined) return undefined;
  const gguf = `blk.${m[1]}.${part}`;
  if (part === 'time_mix_lerp_fused.weight') return { name: gguf, dims: [count(dims) / 6, 1, 1, 6] };
  if (part === 'channel_mix_lerp_k.weight') return { name: gguf, dims: [count(dims), 1, 1] };
  // Vectors stored as (C, 1, 1) or (N, H): llama.cpp wants them flat.
  if (dims.length > 1 && (dims.slice(1).every((d) => d === 1) || part === 'time_mix_r_k.weight')) return { name: gguf, dims: [count(dims)] };
  return { name: gguf, dims: [...dims] };
}

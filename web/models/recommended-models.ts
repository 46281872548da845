// A short, curated list of small instruct models on Hugging Face, so a newcomer can get a real
// model without knowing a file name. Sizes are those of the listed files, rounded (the download
// still checks the real size before it starts); contexts are the models' trained lengths.

export interface RecommendedModel {
  /** What the user reads. */
  title: string;
  /** owner/repo/file.gguf on the hub. */
  hubName: string;
  /** Approximate file size in bytes, for the verdict before download. */
  bytes: number;
  /** Trained context, in tokens. */
  context: number;
  licence: string;
  note: string;
}

export const RECOMMENDED_MODELS: readonly RecommendedModel[] = [
  {
    title: 'Qwen2.5 0.5B Instruct (Q4_K_M)',
    hubName: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    bytes: 491e6,
    context: 32_768,
    licence: 'Apache-2.0',
    note: 'Smallest and fastest; simple questions and short texts.',
  },
  {
    title: 'Llama 3.2 1B Instruct (Q4_K_M)',
    hubName: 'bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    bytes: 808e6,
    context: 131_072,
    licence: 'Llama 3.2 Community License',
    note: 'Good small all-rounder.',
  },
  {
    title: 'Qwen2.5 1.5B Instruct (Q4_K_M)',
    hubName: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    bytes: 1.12e9,
    context: 32_768,
    licence: 'Apache-2.0',
    note: 'Better answers, still quick in a tab.',
  },
  {
    title: 'SmolLM2 1.7B Instruct (Q4_K_M)',
    hubName: 'HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF/smollm2-1.7b-instruct-q4_k_m.gguf',
    bytes: 1.06e9,
    context: 8_192,
    licence: 'Apache-2.0',
    note: 'Fully open small model.',
  },
  {
    title: 'Phi-3.5 mini Instruct (Q4_K_M)',
    hubName: 'bartowski/Phi-3.5-mini-instruct-GGUF/Phi-3.5-mini-instruct-Q4_K_M.gguf',
    bytes: 2.39e9,
    context: 131_072,
    licence: 'MIT',
    note: 'Strong reasoning for its size.',
  },
  {
    title: 'Llama 3.1 8B Instruct (Q4_K_M)',
    hubName: 'bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
    bytes: 4.92e9,
    context: 131_072,
    licence: 'Llama 3.1 Community License',
    note: 'A capable assistant; needs a desktop-class machine.',
  },
];

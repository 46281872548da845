// LocalAI YAML configs and Go templates driving a real model.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { BAN_HIGH_BYTES, post, startHarness, type Harness } from './harness.js';

// A LocalAI gallery chatml.yaml-style config, unmodified apart from name and model file: it carries
// keys Hearth does not use (function, gpu_layers, options) and must still work.
const CHATML_YAML = `name: chatml-model
backend: llama-cpp
context_size: 256
f16: true
mmap: true
gpu_layers: 90
options:
  - use_jinja:false
parameters:
  model: tiny.gguf
  temperature: 0
  top_k: 40
  max_tokens: 9
stopwords:
- '<|im_end|>'
- '<dummy32000>'
- '</s>'
function:
  disable_no_action: true
  grammar:
    mixed_mode: true
template:
  chat_message: |
    <|im_start|>{{if eq .RoleName "assistant"}}assistant{{else if eq .RoleName "system"}}system{{else if eq .RoleName "tool"}}tool{{else if eq .RoleName "user"}}user{{end}}
    {{- if .FunctionCall }}
    <tool_call>
    {{- else if eq .RoleName "tool" }}
    <tool_response>
    {{- end }}
    {{- if .Content}}
    {{.Content }}
    {{- end }}
    {{- if .FunctionCall}}
    {{toJson .FunctionCall}}
    {{- end }}
    {{- if .FunctionCall }}
    </tool_call>
    {{- else if eq .RoleName "tool" }}
    </tool_response>
    {{- end }}<|im_end|>
  chat: |
    {{.Input -}}
    <|im_start|>assistant
  completion: |
    {{.Input}}
`;

const FILE_TEMPLATE_YAML = `- name: file-template
  backend: llama
  parameters:
    model: tiny.gguf
  system_prompt: You are terse.
  roles:
    user: "User: "
    assistant: "Assistant: "
    system: "System: "
  template:
    chat: my-chat
    completion: "Complete this: {{.Input}}"
    edit: "{{.Instruction}} => {{.Input}} =>"
- name: wrong-backend
  backend: whisper
  parameters:
    model: tiny.gguf
- name: embedder
  embeddings: true
  parameters:
    model: tiny.gguf
`;

describe('YAML configs and templates', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      files: { 'chatml.yaml': CHATML_YAML, 'more.yaml': FILE_TEMPLATE_YAML, 'my-chat.tmpl': '{{.SystemPrompt}}\n{{.Input}}\nAssistant:' },
    });
  });
  afterAll(async () => harness?.close());

  it('renders the chatml chat_message + chat templates; YAML max_tokens applies; usage counts the rendered prompt', async () => {
    const ask = { model: 'chatml-model', messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hello' }], logit_bias: NEVER_END };
    const reply = await harness.client.chat.completions.create(ask);
    // YAML parameters.max_tokens is the default when the request has none (end tokens are banned,
    // so the reply runs to it)
    expect(reply.usage?.completion_tokens).toBe(9);
    expect(reply.choices[0]?.finish_reason).toBe('length');
    // YAML parameters.temperature 0 replaces the default 0.9: greedy, the same reply every time
    expect((await harness.client.chat.completions.create(ask)).choices[0]?.message.content).toBe(reply.choices[0]?.message.content);
    // the prompt the templates render, exactly as LocalAI's Go templates do: each message ends with
    // the block scalar's newline, messages are joined by "\n", and `{{.Input -}}` trims the template's own newline
    const rendered = '<|im_start|>system\nBe brief.<|im_end|>\n\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n';
    // the engine the request loaded from the YAML (engineFor returns it; this literal config is not used)
    expect(harness.sidecar.models.isLoaded('chatml-model')).toBe(true);
    const tokens = await harness.sidecar.models.engineFor({ name: 'chatml-model', backend: 'llama-cpp', parameters: { model: 'tiny.gguf' }, stopwords: [], roles: {}, template: {} });
    expect(reply.usage?.prompt_tokens).toBe((await tokens.tokenize(rendered)).length);
    // the config's context_size reached the engine (the server default is larger)
    expect(tokens.contextSize).toBe(256);
  });

  it('request values override YAML defaults', async () => {
    const reply = await harness.client.chat.completions.create({ model: 'chatml-model', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 3, logit_bias: NEVER_END });
    expect(reply.usage?.completion_tokens).toBe(3);
  });

  it('YAML stopwords and a request stop string each end a chat reply; a config added now is served at once', async () => {
    const ask = { messages: [{ role: 'user' as const, content: 'Hello' }], max_tokens: 24, temperature: 0, logit_bias: NEVER_END };
    const free = (await harness.client.chat.completions.create({ model: 'tiny.gguf', ...ask })).choices[0]?.message.content ?? '';
    expect(free.length).toBeGreaterThanOrEqual(8);
    // a stop word from the middle of what the model says anyway
    const word = free.slice(4, 6);
    const cut = free.slice(0, free.indexOf(word));
    writeFileSync(path.join(harness.modelsDir, 'stopper.yaml'), `name: stopper\nparameters:\n  model: tiny.gguf\nstopwords:\n- ${JSON.stringify(word)}\n`);
    const byYaml = await harness.client.chat.completions.create({ model: 'stopper', ...ask });
    expect(byYaml.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: cut } });
    const byRequest = await harness.client.chat.completions.create({ model: 'tiny.gguf', ...ask, stop: word });
    expect(byRequest.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: cut } });
  });

  it('YAML templates from a .tmpl file, roles and system_prompt shape the prompt', async () => {
    const engine = await harness.sidecar.models.engineFor({ name: 'file-template', backend: 'llama-cpp', parameters: { model: 'tiny.gguf' }, stopwords: [], roles: {}, template: {} });
    const reply = await harness.client.chat.completions.create({ model: 'file-template', messages: [{ role: 'user', content: 'Hi there' }], max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    const expected = 'You are terse.\nUser: Hi there\nAssistant:';
    expect(reply.usage?.prompt_tokens).toBe((await engine.tokenize(expected)).length);
    const completion = await harness.client.completions.create({ model: 'file-template', prompt: 'abc', max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(completion.usage?.prompt_tokens).toBe((await engine.tokenize('Complete this: abc')).length);
    const edit = await post(harness.baseURL, '/edits', { model: 'file-template', instruction: 'rephrase', input: 'cat', max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    const body = (await edit.json()) as { object: string; usage: { prompt_tokens: number } };
    expect(body.object).toBe('edit');
    expect(body.usage.prompt_tokens).toBe((await engine.tokenize('rephrase => cat =>')).length);
  });

  it('an unsupported backend is a clear error naming the supported ones', async () => {
    const error = await harness.client.chat.completions.create({ model: 'wrong-backend', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, error: { code: 'unsupported_backend', param: 'model' } });
    expect((error as Error).message).toMatch(/whisper/);
    expect((error as Error).message).toMatch(/llama-cpp/);
  });

  it('embeddings need embeddings: true in a config', async () => {
    const ok = await harness.client.embeddings.create({ model: 'embedder', input: 'hello' });
    expect(ok.data[0]?.embedding.length).toBeGreaterThan(0);
    const refused = await harness.client.embeddings.create({ model: 'chatml-model', input: 'hello' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, error: { code: 'embeddings_not_enabled' } });
    expect((refused as Error).message).toMatch(/embeddings: true/);
  });
});

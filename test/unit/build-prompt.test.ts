import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import type { EngineChatMessage } from '../../shared/engine/engine.js';
import type { ConfigTemplates, ModelConfig } from '../../shared/models/model-config.js';
import type { ModelStore } from '../../shared/models/model-store.js';
import { buildChatPrompt, buildCompletionPrompt, buildEditPrompt } from '../../shared/chat/build-prompt.js';
import { parseModelConfigFile } from '../../shared/models/parse-model-config.js';

/** The models folder as a map of file name -> text; records every name asked for. */
class MemoryStore implements ModelStore {
  readonly location = 'memory';
  readonly reads: string[] = [];
  readonly #files: Record<string, string>;
  constructor(files: Record<string, string> = {}) {
    this.#files = files;
  }
  async listFiles(): Promise<string[]> {
    return Object.keys(this.#files);
  }
  async readText(fileName: string): Promise<string | undefined> {
    this.reads.push(fileName);
    return Object.hasOwn(this.#files, fileName) ? this.#files[fileName] : undefined;
  }
  locate(fileName: string): string {
    return `memory/${fileName}`;
  }
}

function config(extra: Partial<Omit<ModelConfig, 'template'>> & { template?: ConfigTemplates } = {}): ModelConfig {
  return { name: 'm', backend: 'llama-cpp', parameters: {}, stopwords: [], roles: {}, template: {}, ...extra };
}

// LocalAI's chatml templates, as in its gallery.
const CHATML_MESSAGE =
  '<|im_start|>{{if eq .RoleName "assistant"}}assistant{{else if eq .RoleName "system"}}system{{else if eq .RoleName "user"}}user{{end}}\n{{ if .Content }}{{.Content}}{{ end }}<|im_end|>';
const CHATML_CHAT = '{{.Input}}\n<|im_start|>assistant\n';
const chatml = config({ template: { chatMessage: CHATML_MESSAGE, chat: CHATML_CHAT } });

const conversation: EngineChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello.' },
  { role: 'user', content: 'Bye' },
];

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ApiError);
  return thrown as ApiError;
}

describe('buildChatPrompt without templates', () => {
  const user: EngineChatMessage[] = [{ role: 'user', content: 'Hi' }];

  it('returns the messages for the GGUF chat template', async () => {
    await expect(buildChatPrompt(new MemoryStore(), config(), conversation)).resolves.toEqual({ kind: 'chat', messages: conversation });
  });

  it('injects system_prompt when the request has no system message', async () => {
    const plan = await buildChatPrompt(new MemoryStore(), config({ systemPrompt: 'Be kind.' }), user);
    expect(plan).toEqual({
      kind: 'chat',
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('does not inject system_prompt when the request has a system message', async () => {
    const plan = await buildChatPrompt(new MemoryStore(), config({ systemPrompt: 'Be kind.' }), conversation);
    expect(plan).toEqual({ kind: 'chat', messages: conversation });
  });

  it('does not mutate the request messages', async () => {
    const messages = [...user];
    await buildChatPrompt(new MemoryStore(), config({ systemPrompt: 'S' }), messages);
    expect(messages).toEqual(user);
  });
});

describe('buildChatPrompt with LocalAI templates', () => {
  it('renders chatml exactly, messages joined by newlines', async () => {
    const plan = await buildChatPrompt(new MemoryStore(), chatml, conversation);
    expect(plan).toEqual({
      kind: 'text',
      prompt:
        '<|im_start|>system\nYou are terse.<|im_end|>\n' +
        '<|im_start|>user\nHi<|im_end|>\n' +
        '<|im_start|>assistant\nHello.<|im_end|>\n' +
        '<|im_start|>user\nBye<|im_end|>\n' +
        '<|im_start|>assistant\n',
    });
  });

  it('joins with join_chat_messages_by_character', async () => {
    const cfg = config({ template: { chatMessage: '[{{.RoleName}}] {{.Content}}', joinChatMessagesBy: ' | ' } });
    const plan = await buildChatPrompt(new MemoryStore(), cfg, conversation.slice(0, 3));
    expect(plan).toEqual({ kind: 'text', prompt: '[system] You are terse. | [user] Hi | [assistant] Hello.' });
  });

  it('chat_message alone gives the joined messages as the prompt', async () => {
    const cfg = config({ template: { chatMessage: CHATML_MESSAGE } });
    const plan = await buildChatPrompt(new MemoryStore(), cfg, [{ role: 'user', content: 'Hi' }]);
    expect(plan).toEqual({ kind: 'text', prompt: '<|im_start|>user\nHi<|im_end|>' });
  });

  it('passes Role, MessageIndex, LastMessage, FunctionName and SystemPrompt to chat_message', async () => {
    const cfg = config({
      systemPrompt: 'SP',
      roles: { user: 'U:', tool: 'T:' },
      template: { chatMessage: '{{.MessageIndex}}/{{.Role}}/{{.RoleName}}/{{.FunctionName}}/{{.LastMessage}}/{{.SystemPrompt}}' },
    });
    const plan = await buildChatPrompt(new MemoryStore(), cfg, [
      { role: 'user', content: 'a' },
      { role: 'tool', content: 'b', name: 'lookup' },
    ]);
    expect(plan).toEqual({ kind: 'text', prompt: '0/U:/user//false/SP\n1/T:/tool/lookup/true/SP' });
  });

  it('skips messages whose chat_message renders to nothing', async () => {
    const cfg = config({ template: { chatMessage: '{{if .Content}}{{.RoleName}}: {{.Content}}{{end}}' } });
    const plan = await buildChatPrompt(new MemoryStore(), cfg, [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'b' },
    ]);
    expect(plan).toEqual({ kind: 'text', prompt: 'user: a\nuser: b' });
  });

  it('without chat_message, roles map to prefixes and the chat template wraps them', async () => {
    const cfg = config({
      systemPrompt: 'Default system.',
      roles: { system: 'SYSTEM: ', user: 'USER: ', assistant: 'ASSISTANT: ' },
      template: { chat: '{{if not .SuppressSystemPrompt}}{{.SystemPrompt}}\n{{end}}{{.Input}}\nASSISTANT:' },
    });
    const withoutSystem = await buildChatPrompt(new MemoryStore(), cfg, conversation.slice(1));
    expect(withoutSystem).toEqual({
      kind: 'text',
      prompt: 'Default system.\nUSER: Hi\nASSISTANT: Hello.\nUSER: Bye\nASSISTANT:',
    });
    // A request's own system message suppresses the config's system prompt.
    const withSystem = await buildChatPrompt(new MemoryStore(), cfg, conversation);
    expect(withSystem).toEqual({
      kind: 'text',
      prompt: 'SYSTEM: You are terse.\nUSER: Hi\nASSISTANT: Hello.\nUSER: Bye\nASSISTANT:',
    });
  });

  it('without chat_message, a role with no prefix is the bare content and empty content stays an empty line', async () => {
    const cfg = config({ roles: { user: '> ' }, template: { chat: '{{.Input}}|' } });
    const plan = await buildChatPrompt(new MemoryStore(), cfg, [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '' },
      { role: 'tool', content: 'r' },
    ]);
    expect(plan).toEqual({ kind: 'text', prompt: '> q\n\nr|' });
  });

  it('reads a template given as the name of a .tmpl file in the store', async () => {
    const store = new MemoryStore({ 'chatml-msg.tmpl': CHATML_MESSAGE, 'chatml.tmpl': CHATML_CHAT });
    const cfg = config({ template: { chatMessage: 'chatml-msg', chat: 'chatml' } });
    const plan = await buildChatPrompt(store, cfg, [{ role: 'user', content: 'Hi' }]);
    expect(plan).toEqual({ kind: 'text', prompt: '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n' });
    expect(store.reads).toEqual(['chatml-msg.tmpl', 'chatml.tmpl']);
  });

  it('treats inline template text as the template, without looking for a file', async () => {
    const store = new MemoryStore();
    await buildChatPrompt(store, chatml, [{ role: 'user', content: 'Hi' }]);
    expect(store.reads).toEqual([]);
  });

  it('a plain word with no such .tmpl file is used as literal template text', async () => {
    const store = new MemoryStore();
    const plan = await buildChatPrompt(store, config({ template: { chat: 'vicuna' } }), [{ role: 'user', content: 'Hi' }]);
    expect(plan).toEqual({ kind: 'text', prompt: 'vicuna' });
    expect(store.reads).toEqual(['vicuna.tmpl']);
  });

  it.each([
    { name: 'chat_message', template: { chatMessage: '{{if .Content}}never closed' }, names: "chat_message template" },
    { name: 'chat', template: { chat: '{{.Input' }, names: 'chat template' },
    { name: 'chat, unknown function', template: { chat: '{{nosuchfunc .Input}}' }, names: 'chat template' },
  ])('a syntax error in $name is a 500 invalid_template naming the template', async ({ template, names }) => {
    const error = await failure(buildChatPrompt(new MemoryStore(), config({ template }), [{ role: 'user', content: 'Hi' }]));
    expect([error.kind, error.status, error.type, error.code]).toEqual(['server', 500, 'server_error', 'invalid_template']);
    expect(error.message).toContain(`The model's ${names} could not be used: template.${names.split(' ')[0]} line 1, column `);
  });

  it('a syntax error in a .tmpl file names the file, its line and the config that uses it', async () => {
    const store = new MemoryStore({ 'broken.tmpl': 'Hello\n  {{end}}' });
    const error = await failure(buildChatPrompt(store, config({ sourceFile: 'my.yaml', template: { chat: 'broken' } }), [{ role: 'user', content: 'Hi' }]));
    expect(error.code).toBe('invalid_template');
    expect(error.message).toBe("The model's chat template could not be used: broken.tmpl line 2, column 3 (template.chat in my.yaml): unexpected {{end}}");
  });

  it('an error in an inline template names the YAML file and the line in it', async () => {
    const yaml = 'name: m\ntemplate:\n  chat_message: |\n    {{.Content}}\n    {{if .Content}}never closed\n  completion: "x {{ end }}"\n';
    const [parsed] = parseModelConfigFile(yaml, 'm.yaml').configs;
    if (parsed === undefined) throw new Error('no config');
    const chat = await failure(buildChatPrompt(new MemoryStore(), parsed, [{ role: 'user', content: 'Hi' }]));
    expect(chat.message).toBe("The model's chat_message template could not be used: m.yaml line 5, column 5 (template.chat_message): unexpected EOF: {{if}} has no matching {{end}}");
    const completion = await failure(buildCompletionPrompt(new MemoryStore(), parsed, 'x'));
    expect(completion.message).toBe("The model's completion template could not be used: m.yaml line 6, column 18 (template.completion): unexpected {{end}}");
  });
});

describe('template errors name the template that failed', () => {
  // Parsed templates are cached by their text: the same text used as two different templates
  // must still report the template that actually failed.
  it('the same failing text as completion template, then as chat template, names each', async () => {
    const source = '{{index .Input 99}}{{/* shared-text probe */}}';
    const completion = await failure(buildCompletionPrompt(new MemoryStore(), config({ template: { completion: source } }), 'ab'));
    expect(completion.message).toContain("The model's completion template could not be used: template.completion line 1, column 3:");
    const chat = await failure(buildChatPrompt(new MemoryStore(), config({ template: { chat: source } }), [{ role: 'user', content: 'a' }]));
    expect(chat.message).toContain("The model's chat template could not be used: template.chat line 1, column 3:");
  });
});

describe('buildCompletionPrompt', () => {
  it('returns the prompt unchanged without a completion template', async () => {
    await expect(buildCompletionPrompt(new MemoryStore(), config(), 'Once upon')).resolves.toBe('Once upon');
  });

  it('renders the completion template with {{.Input}} and {{.SystemPrompt}}', async () => {
    const cfg = config({ systemPrompt: 'Sys', template: { completion: '{{.SystemPrompt}}\nQ: {{.Input}}\nA:' } });
    await expect(buildCompletionPrompt(new MemoryStore(), cfg, 'Why?')).resolves.toBe('Sys\nQ: Why?\nA:');
  });

  it('reads the completion template from a .tmpl file', async () => {
    const store = new MemoryStore({ 'alpaca.tmpl': '### Instruction:\n{{.Input}}\n### Response:\n' });
    await expect(buildCompletionPrompt(store, config({ template: { completion: 'alpaca' } }), 'Sum 1+1')).resolves.toBe(
      '### Instruction:\nSum 1+1\n### Response:\n',
    );
  });

  it('a broken completion template is invalid_template', async () => {
    const error = await failure(buildCompletionPrompt(new MemoryStore(), config({ template: { completion: '{{range .Input}}' } }), 'x'));
    expect([error.status, error.code]).toEqual([500, 'invalid_template']);
    expect(error.message).toContain("The model's completion template could not be used:");
  });
});

describe('buildEditPrompt', () => {
  it('renders the edit template with {{.Instruction}} and {{.Input}}', async () => {
    const cfg = config({ template: { edit: 'Edit as told: {{.Instruction}}\n---\n{{.Input}}\n---\n' } });
    await expect(buildEditPrompt(new MemoryStore(), cfg, 'Fix spelling', 'teh cat')).resolves.toEqual({
      kind: 'text',
      prompt: 'Edit as told: Fix spelling\n---\nteh cat\n---\n',
    });
  });

  it('without an edit template, is a chat turn: instruction, blank line, input', async () => {
    await expect(buildEditPrompt(new MemoryStore(), config(), 'Fix spelling', 'teh cat')).resolves.toEqual({
      kind: 'chat',
      messages: [{ role: 'user', content: 'Fix spelling\n\nteh cat' }],
    });
  });

  it('without input, the chat turn is the instruction alone', async () => {
    await expect(buildEditPrompt(new MemoryStore(), config(), 'Write a haiku', '')).resolves.toEqual({
      kind: 'chat',
      messages: [{ role: 'user', content: 'Write a haiku' }],
    });
  });

  it('without an edit template, goes through the chat templates when the config has them', async () => {
    await expect(buildEditPrompt(new MemoryStore(), chatml, 'Fix', 'teh')).resolves.toEqual({
      kind: 'text',
      prompt: '<|im_start|>user\nFix\n\nteh<|im_end|>\n<|im_start|>assistant\n',
    });
  });

  it('a broken edit template is invalid_template naming the edit template', async () => {
    const error = await failure(buildEditPrompt(new MemoryStore(), config({ template: { edit: '{{.Instruction' } }), 'a', 'b'));
    expect([error.kind, error.code]).toEqual(['server', 'invalid_template']);
    expect(error.message).toContain("The model's edit template could not be used:");
  });
});

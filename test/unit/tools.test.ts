import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import { parseChatRequest } from '../../shared/http/parse/parse-chat-request.js';
import type { ModelConfig } from '../../shared/models/model-config.js';
import type { ModelStore } from '../../shared/models/model-store.js';
import { buildChatPrompt } from '../../shared/chat/build-prompt.js';
import { decodeChatReplies, type ChatReplyEvent } from '../../shared/generation/decode-chat-replies.js';
import { planChatOutput } from '../../shared/chat/plan-output.js';
import { formatToolCall } from '../../shared/chat/tool-call-format.js';
import { ToolCallParser, type ParsedReplyEvent } from '../../shared/chat/tool-call-parser.js';
import type { ChoiceEvent } from '../../shared/generation/run-generation.js';

const store: ModelStore = { location: 'memory', listFiles: async () => [], readText: async () => undefined, locate: (f) => f };
const config = (extra: Partial<ModelConfig> = {}): ModelConfig => ({ name: 'm', backend: 'llama-cpp', parameters: {}, stopwords: [], roles: {}, template: {}, ...extra });
const weather = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

function parseAll(chunks: string[]): ParsedReplyEvent[] {
  const parser = new ToolCallParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.finish()];
}

function merge(events: ParsedReplyEvent[]): ParsedReplyEvent[] {
  const out: ParsedReplyEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (last?.type === event.type && (event.type === 'content' || event.type === 'arguments') && 'text' in last) last.text += event.text;
    else out.push({ ...event });
  }
  return out;
}

describe('ToolCallParser', () => {
  const reply = `${formatToolCall('a', '{"x": "}{\\"", "y": [1, {"z": 2}]} \n')}\n${formatToolCall('b', '{}')}`;

  it('reads calls the same way whatever the chunking', () => {
    const expected: ParsedReplyEvent[] = [
      { type: 'call', index: 0, name: 'a' },
      { type: 'arguments', index: 0, text: '{"x": "}{\\"", "y": [1, {"z": 2}]}' },
      { type: 'call-end', index: 0 },
      { type: 'call', index: 1, name: 'b' },
      { type: 'arguments', index: 1, text: '{}' },
      { type: 'call-end', index: 1 },
    ];
    expect(merge(parseAll([reply]))).toEqual(expected);
    expect(merge(parseAll([...reply]))).toEqual(expected);
  });

  it('passes plain text through as content, including a lone "<"', () => {
    expect(merge(parseAll(['Hello', ' world']))).toEqual([{ type: 'content', text: 'Hello world' }]);
    expect(merge(parseAll(['<tool']))).toEqual([{ type: 'content', text: '<tool' }]);
  });
});

async function* choiceEvents(text: string, finishReason: 'stop' | 'length' = 'stop'): AsyncGenerator<{ index: number; event: ChoiceEvent }> {
  for (const char of text) yield { index: 0, event: { type: 'text', text: char } };
  yield { index: 0, event: { type: 'end', finishReason, promptTokens: 5, completionTokens: 9 } };
}

async function decode(text: string, tools: Parameters<typeof decodeChatReplies>[1]): Promise<ChatReplyEvent[]> {
  const out: ChatReplyEvent[] = [];
  for await (const { event } of decodeChatReplies(choiceEvents(text), tools, () => 'call_1')) out.push(event);
  return out;
}

describe('decodeChatReplies', () => {
  it('ends with tool_calls (function_call for legacy) when the model called', async () => {
    const events = await decode(formatToolCall('f', '{}'), { legacy: false });
    expect(events[0]).toEqual({ type: 'tool-call', index: 0, id: 'call_1', name: 'f' });
    expect(events.at(-1)).toMatchObject({ type: 'end', finishReason: 'tool_calls' });
    expect((await decode(formatToolCall('f', '{}'), { legacy: true })).at(-1)).toMatchObject({ finishReason: 'function_call' });
  });

  it("turns LocalAI's no-action call into content", async () => {
    const events = await decode(formatToolCall('answer', '{"message": "Hi there"}'), { legacy: false, noActionName: 'answer' });
    expect(events).toEqual([{ type: 'content', text: 'Hi there' }, { type: 'end', finishReason: 'stop', promptTokens: 5, completionTokens: 9 }]);
  });
});

describe('parseChatRequest with tools', () => {
  const messages = [{ role: 'user', content: 'Weather?' }];

  it('reads tools, choices, follow-up turns and legacy functions', () => {
    const request = parseChatRequest({
      messages: [
        ...messages,
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '21C' },
      ],
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(request.tools).toMatchObject({ choice: { mode: 'named', name: 'get_weather' }, parallel: false, legacy: false });
    expect(request.messages[1]).toEqual({ role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    expect(request.messages[2]).toEqual({ role: 'tool', content: '21C', toolCallId: 'c1' });
    const legacy = parseChatRequest({ messages, functions: [weather.function], function_call: { name: 'get_weather' } });
    expect(legacy.tools).toMatchObject({ legacy: true, parallel: false, choice: { mode: 'named', name: 'get_weather' } });
  });

  it.each([
    [{ tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tool_choice'],
    [{ tool_choice: 'required' }, 'tool_choice'],
    [{ tools: [weather], functions: [weather.function] }, 'functions'],
    [{ tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'array' } } }] }, 'tools[0].function.parameters'],
    [{ tools: [weather, weather] }, 'tools[1]'],
    [{ response_format: { type: 'json_schema' } }, 'response_format'],
  ])('refuses %j with param %s', (extra, param) => {
    let error: unknown;
    try {
      parseChatRequest({ messages, ...extra });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).param).toBe(param);
  });
});

describe('tool conversations in prompts', () => {
  const conversation = parseChatRequest({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"temp": 21}' },
    ],
    tools: [weather],
  });

  it('GGUF template: tools in the system message, calls and results as Hermes text', async () => {
    const output = planChatOutput(conversation, config());
    expect(output.toolReplies).toEqual({ legacy: false });
    const plan = await buildChatPrompt(store, config(), conversation.messages, output.prompt);
    expect(plan.kind).toBe('chat');
    if (plan.kind !== 'chat') return;
    expect(plan.messages[0]?.content).toMatch(/^Be brief\.\n\nYou are a function calling AI model[\s\S]*<tools>\n\{"type":"function","function":\{"name":"get_weather"/);
    expect(plan.messages[2]).toEqual({ role: 'assistant', content: '<tool_call>\n{"name": "get_weather", "arguments": {"city":"Paris"}}\n</tool_call>' });
    expect(plan.messages[3]).toEqual({ role: 'tool', content: '<tool_response>\n{"temp": 21}\n</tool_response>' });
  });

  it('LocalAI YAML: template.function with .Functions (plus the "answer" no-action function) and .FunctionCall as data', async () => {
    const yaml = config({
      functions: { noActionFunctionName: 'reply' },
      template: {
        chatMessage: '<|im_start|>{{.RoleName}}\n{{ if .FunctionCall }}<tool_call>{{toJson .FunctionCall}}</tool_call>{{ else }}{{.Content}}{{ end }}<|im_end|>',
        chat: 'NOT USED WITH TOOLS {{.Input}}',
        function: '<|im_start|>system\n{{range .Functions}}{{.Name}}: {{toJson .}}\n{{end}}<|im_end|>\n{{.Input}}\n<|im_start|>assistant\n',
      },
    });
    const output = planChatOutput(conversation, yaml);
    expect(output.toolReplies).toEqual({ legacy: false, noActionName: 'reply' });
    const plan = await buildChatPrompt(store, yaml, conversation.messages, output.prompt);
    expect(plan).toEqual({
      kind: 'text',
      prompt:
        '<|im_start|>system\n' +
        'get_weather: {"description":"Weather","name":"get_weather","parameters":{"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"},"strict":false}\n' +
        'reply: {"description":"use this action to answer without performing any action","name":"reply","parameters":{"properties":{"message":{"description":"The message to reply the user with","type":"string"}},"required":["message"],"type":"object"},"strict":false}\n' +
        '<|im_end|>\n' +
        '<|im_start|>system\nBe brief.<|im_end|>\n' +
        '<|im_start|>user\nWeather in Paris?<|im_end|>\n' +
        '<|im_start|>assistant\n<tool_call>[{"function":{"arguments":"{\\"city\\":\\"Paris\\"}","name":"get_weather"},"id":"c1","index":0,"type":"function"}]</tool_call><|im_end|>\n' +
        '<|im_start|>tool\n{"temp": 21}<|im_end|>\n' +
        '<|im_start|>assistant\n',
    });
    // disable_no_action leaves "reply" out and lets the model answer in plain text instead.
    const plain = planChatOutput(conversation, { ...yaml, functions: { disableNoAction: true } });
    expect(plain.prompt.functions.map((f) => f.name)).toEqual(['get_weather']);
    expect(plain.toolReplies).toEqual({ legacy: false });
    expect(plain.grammar).toContain('content ::=');
  });

  it('role prefixes without a message template: calls as JSON after the assistant_function_call role', async () => {
    const cfg = config({ roles: { user: 'USER:', assistant: 'ASSISTANT:', assistant_function_call: 'CALL:', tool: 'RESULT:' }, template: { chat: '{{.Input}}\nASSISTANT:' } });
    const plan = await buildChatPrompt(store, cfg, conversation.messages.slice(1), { functions: [], grammarActive: false });
    expect(plan).toEqual({
      kind: 'text',
      prompt: 'USER:Weather in Paris?\nCALL: [{"index":0,"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]\nRESULT:{"temp": 21}\nASSISTANT:',
    });
  });
});

// Every grammar the converter writes compiles in llama.cpp (node-llama-cpp), and accepts and
// rejects the same texts llama.cpp's own matcher does.
import type { LlamaGrammar } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { jsonObjectGrammar } from '../../shared/grammar/gbnf-json.js';
import { jsonSchemaToGbnf } from '../../shared/grammar/json-schema-to-gbnf.js';
import { toolCallGrammar } from '../../shared/chat/tool-call-grammar.js';
import { formatToolCall } from '../../shared/chat/tool-call-format.js';
import { getSharedLlama } from '../../sidecar/engine/llama-instance.js';
import { SUPPORTED_SCHEMAS } from '../fixtures/json-schemas.js';

/** node-llama-cpp's (internal) full-match test of a text against a grammar. */
function matches(grammar: LlamaGrammar, text: string): boolean {
  return (grammar as unknown as { _testText(text: string): boolean })._testText(text);
}

async function compile(text: string): Promise<LlamaGrammar> {
  const llama = await getSharedLlama();
  return llama.createGrammar({ grammar: text });
}

describe('generated grammars in llama.cpp', () => {
  it.each(SUPPORTED_SCHEMAS)('$name compiles and matches exactly the valid texts', async ({ schema, accepts, rejects }) => {
    const grammar = await compile(jsonSchemaToGbnf(schema));
    for (const text of accepts) expect(matches(grammar, text), text).toBe(true);
    for (const text of rejects) expect(matches(grammar, text), text).toBe(false);
  });

  it('json_object accepts objects only', async () => {
    const grammar = await compile(jsonObjectGrammar());
    expect(matches(grammar, '{"a": [1, "b", {"c": null}]}')).toBe(true);
    expect(matches(grammar, '[1]')).toBe(false);
  });

  it('tool-call grammars accept the wire format, parallel calls and (auto) plain text', async () => {
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const call = formatToolCall('get_weather', '{"city": "Paris"}');
    const required = await compile(toolCallGrammar(tools, { parallel: false, content: { kind: 'none' } }));
    expect(matches(required, call)).toBe(true);
    expect(matches(required, `${call}\n${call}`)).toBe(false);
    expect(matches(required, formatToolCall('other', '{"city": "Paris"}'))).toBe(false);
    expect(matches(required, 'hello')).toBe(false);
    const auto = await compile(toolCallGrammar(tools, { parallel: true, content: { kind: 'text' } }));
    expect(matches(auto, `${call}\n${call}`)).toBe(true);
    expect(matches(auto, 'Just words.\nMore.')).toBe(true);
    expect(matches(auto, formatToolCall('get_weather', '{"town": "x"}'))).toBe(false);
  });

  it('llama.cpp refuses a broken grammar', async () => {
    await expect(compile('root ::= nothing')).rejects.toThrow(/parse grammar/);
  });
});

// Compiles GBNF grammars with llama.cpp, keeping the most recent ones: clients tend to send the
// same grammar (or tool list) request after request.
import { LlamaGrammarEvaluationState, type Llama, type LlamaGrammar, type LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import { errorMessage } from '../../shared/base/error-message.js';

const MAX_CACHED = 32;

export class GrammarCache {
  readonly #grammars = new Map<string, LlamaGrammar>();

  readonly #llama: Llama;

  constructor(llama: Llama) {
    this.#llama = llama;
  }

  /** A fresh evaluation state for one generation. Throws ApiError code `invalid_grammar` when llama.cpp rejects the text. */
  async evaluationState(model: LlamaModel, text: string): Promise<LlamaGrammarEvaluationState> {
    let grammar = this.#grammars.get(text);
    if (grammar === undefined) {
      try {
        grammar = await this.#llama.createGrammar({ grammar: text });
      } catch (error) {
        // llama.cpp prints its reason to stderr only; the core's own check usually catches it first.
        throw new ApiError('invalid_request', `llama.cpp could not parse the grammar: ${errorMessage(error)}.`, {
          code: 'invalid_grammar',
          cause: error,
        });
      }
      if (this.#grammars.size >= MAX_CACHED) this.#grammars.delete(this.#grammars.keys().next().value ?? '');
    } else {
      this.#grammars.delete(text);
    }
    this.#grammars.set(text, grammar);
    return new LlamaGrammarEvaluationState({ model, grammar });
  }
}

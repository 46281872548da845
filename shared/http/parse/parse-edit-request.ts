import { readOptionalString, readRequiredString, type JsonObject } from '../../base/field-readers.js';
import { readGenerationFields, type GenerationFields } from './generation-fields.js';

export interface EditRequest extends GenerationFields {
  instruction: string;
  input: string;
}

export function parseEditRequest(body: JsonObject): EditRequest {
  return {
    ...readGenerationFields(body),
    instruction: readRequiredString(body, 'instruction'),
    input: readOptionalString(body, 'input') ?? '',
  };
}

// Every reason a model file cannot be converted, as an ApiError naming the file: the model manager
// turns it into the load failure the client sees.
import { ApiError } from '../base/api-error.js';

/** The file is damaged or is not what its backend reads (a 500: the server's model, not the request, is wrong). */
export function badModelFile(file: string, reason: string): ApiError {
  return new ApiError('server', `The model file ${file} cannot be converted to GGUF: ${reason}`, { code: 'unsupported_model_format' });
}

// The fetch the shared gallery core gets in the browser: the network for http(s) (the hub, a
// mirror or a gallery host must allow this origin with CORS), and never file:// (a tab cannot read
// the user's disk; add local files in the Models panel instead).
import { ApiError } from '../../shared/base/api-error.js';
import type { FetchLike } from '../../shared/downloads/download-io.js';
import { errorMessage } from '../../shared/base/error-message.js';

export function browserHubFetch(network: typeof fetch = fetch.bind(globalThis)): FetchLike {
  return async (url, init) => {
    if (!/^https?:/i.test(url)) {
      throw new ApiError('invalid_request', `${url} cannot be fetched in the browser: only http(s) galleries and files work here. Add local .gguf files in the Models panel.`, {
        code: 'unsupported_uri',
      });
    }
    try {
      return await network(url, { headers: init.headers, redirect: 'follow', ...(init.signal ? { signal: init.signal } : {}) });
    } catch (error) {
      if (init.signal?.aborted === true) throw error;
      // The browser hides why (CORS, offline, refused); say what usually causes it.
      const reason = errorMessage(error);
      throw new Error(`${reason} (${new URL(url).origin} is offline, or does not allow this page with CORS)`, { cause: error });
    }
  };
}

// The default model ships inside the app build (hashed asset, precached by the service worker), so
// a first visit works without any download and later visits work offline.
import chatModelUrl from '../../models/hearth-chat.gguf?url';
import chatModelYaml from '../../models/hearth-chat.yaml?raw';

export interface BundledFile {
  name: string;
  /** Same-origin URL of a model file. */
  url?: string;
  /** Text of a config file. */
  text?: string;
}

export const BUNDLED_FILES: readonly BundledFile[] = [
  { name: 'hearth-chat.gguf', url: chatModelUrl },
  { name: 'hearth-chat.yaml', text: chatModelYaml },
];

// The default model ships inside the app build (hashed asset, precached by the service worker), so
// a first visit works without any download and later visits work offline.
import tinyModelUrl from '../../models/hearth-tiny.gguf?url';
import tinyModelYaml from '../../models/hearth-tiny.yaml?raw';

export interface BundledFile {
  name: string;
  /** Same-origin URL of a model file. */
  url?: string;
  /** Text of a config file. */
  text?: string;
}

export const BUNDLED_FILES: readonly BundledFile[] = [
  { name: 'hearth-tiny.gguf', url: tinyModelUrl },
  { name: 'hearth-tiny.yaml', text: tinyModelYaml },
];

// The fit verdict shown before any download: tab, sidecar, or too big for the device.
import { describe, expect, it } from 'vitest';
import { fitVerdict } from '../../web/models/fit-verdict.js';
import { RECOMMENDED_MODELS } from '../../web/models/recommended-models.js';

describe('fitVerdict', () => {
  it('puts a small model in the tab', () => {
    expect(fitVerdict(500e6, { storageAvailable: 10e9, deviceMemoryGb: 8 })).toEqual({ kind: 'tab', reason: 'Fits in this tab.' });
    expect(fitVerdict(500e6, {})).toMatchObject({ kind: 'tab' });
  });

  it('sends a file over the WASM 2 GiB-per-file limit to the sidecar', () => {
    expect(fitVerdict(2.39e9, { deviceMemoryGb: 8 })).toMatchObject({ kind: 'sidecar', reason: expect.stringMatching(/per file/) as unknown });
  });

  it('sends a model the site cannot store, or too large a share of memory, to the sidecar', () => {
    expect(fitVerdict(1e9, { storageAvailable: 500e6 })).toMatchObject({ kind: 'sidecar', reason: expect.stringMatching(/may store only 500 MB/) as unknown });
    expect(fitVerdict(1.2e9, { deviceMemoryGb: 2 })).toMatchObject({ kind: 'sidecar' });
  });

  it('calls a model too big only when the device is known to have too little memory (8 GB means 8 or more)', () => {
    expect(fitVerdict(4.92e9, { deviceMemoryGb: 4 })).toMatchObject({ kind: 'too-big', reason: expect.stringMatching(/about 4 GB of memory/) as unknown });
    expect(fitVerdict(40e9, { deviceMemoryGb: 8 })).toMatchObject({ kind: 'sidecar' });
  });

  it('lists recommended models with hub names, sizes, contexts and licences', () => {
    expect(RECOMMENDED_MODELS.length).toBeGreaterThanOrEqual(4);
    for (const model of RECOMMENDED_MODELS) {
      expect(model.hubName).toMatch(/^[\w.-]+\/[\w.-]+\/[\w.-]+\.gguf$/);
      expect(model.bytes).toBeGreaterThan(100e6);
      expect(model.context).toBeGreaterThan(2048);
      expect(model.licence).not.toBe('');
    }
  });
});

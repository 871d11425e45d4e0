import { openFileStore } from '../../../src/store/open.js';
import { runStoreContract } from './contract.js';
import { tempDir } from '../../support/temp.js';

runStoreContract('file', async () => {
  const { dir, cleanup } = await tempDir('wirediff-contract-');
  return { open: () => openFileStore({ dir }), target: { kind: 'file', dir }, destroy: cleanup };
});

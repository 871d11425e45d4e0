import { openPostgresStore } from '../../../src/store/postgres/open.js';
import { testSchema } from '../../support/stores.js';
import { runStoreContract } from './contract.js';

runStoreContract('postgres', async () => {
  const t = await testSchema('contract');
  return {
    open: () => openPostgresStore(t.options),
    target: { kind: 'postgres', ...t.options },
    destroy: () => t.drop(),
  };
});

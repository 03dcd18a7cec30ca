// Vitest setup: English strings, and a clean DOM and shared state after every test.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import { setupI18n } from '../lib/i18n';

setupI18n('en');

afterEach(async () => {
  cleanup();
  // Imported here, not above: the stores must see the test file's platform mock.
  const { resetState } = await import('../lib/state');
  resetState();
});

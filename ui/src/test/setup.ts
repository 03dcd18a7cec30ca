// Vitest setup: English strings, and a clean DOM after every test.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import { setupI18n } from '../lib/i18n';

setupI18n('en');

afterEach(() => {
  cleanup();
});

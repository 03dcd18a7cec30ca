import { mount } from 'svelte';
import Console from './Console.svelte';
import { setupConsoleI18n } from './i18n';
import '../app.css';
import './console.css';

setupConsoleI18n();

const target = document.getElementById('console');
if (!target) {
  throw new Error('index.html has no #console element');
}

export default mount(Console, { target });

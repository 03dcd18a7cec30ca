import { mount } from 'svelte';
import App from './App.svelte';
import { setupI18n } from './lib/i18n';
import './app.css';
import './features/tickets/list.css';
import './features/ticket-detail/detail.css';
import './features/shell/shell.css';
import './features/account/account.css';

setupI18n();

const target = document.getElementById('app');
if (!target) {
  throw new Error('index.html has no #app element');
}

export default mount(App, { target });

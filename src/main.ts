import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import './forms.css';

// The app mounts in a task of its own. Evaluating this bundle, mounting the app and laying out the
// parsed document all in the script's task made one long task (~55 ms on a 2-core machine).
setTimeout(() => mount(App, { target: document.getElementById('app')! }), 0);

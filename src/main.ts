import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import './forms.css';

export default mount(App, { target: document.getElementById('app')! });

import { createApp } from 'vue';
import { fapiSession } from 'fapi-session/vue';
import App from './App.vue';
import { frontendApi } from '../../shared/demo.js';
import '../../shared/style.css';

// One shared manager for the app: created by the plugin, loaded once, disposed on unmount.
createApp(App).use(fapiSession, { frontendApi }).mount('#app');

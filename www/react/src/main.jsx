import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientManagerProvider } from 'fapi-session/react';
import { frontendApi } from '../../shared/demo.js';
import { App } from './App.jsx';
import '../../shared/style.css';

// StrictMode: in development builds React mounts, unmounts and mounts again; the adapter
// must neither load twice nor leak a listener (the e2e tests check a development build too).
createRoot(document.getElementById('root')).render(
  <StrictMode>
    <ClientManagerProvider options={{ frontendApi }}>
      <App />
    </ClientManagerProvider>
  </StrictMode>,
);

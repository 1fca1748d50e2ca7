import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  // Relative asset URLs: the built dist/ works from any sub-path (make demo serves it at /react/).
  base: './',
  plugins: [react()],
  resolve: {
    // fapi-session is linked from ../../pkg: its `import 'react'` must find this app's copy.
    dedupe: ['react', 'react-dom'],
  },
  server: { fs: { allow: ['.', '../shared', '../../pkg'] } },
});

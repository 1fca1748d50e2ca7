import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  // Relative asset URLs: the built dist/ works from any sub-path (make demo serves it at /vue/).
  base: './',
  plugins: [vue()],
  resolve: {
    // fapi-session is linked from ../../pkg: its `import 'vue'` must find this app's copy.
    dedupe: ['vue'],
  },
  server: { fs: { allow: ['.', '../shared', '../../pkg'] } },
});

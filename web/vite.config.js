import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// The site and its widget build into dist/: static files that need nothing from the internet.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{js,jsx}'] },
})

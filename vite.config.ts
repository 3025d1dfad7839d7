import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['geodata'] } },
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		globalSetup: ['tests/global-setup.ts'],
		// PGlite starts in seconds and e2e tests start a server: generous, not timing assertions.
		testTimeout: 180_000,
		hookTimeout: 600_000,
		fileParallelism: true,
		maxWorkers: 2
	}
});

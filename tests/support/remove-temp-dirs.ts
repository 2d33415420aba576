// Vitest setup (both configs): after each test file, the folders its tests made with
// tempDir are removed, engines and hosts closed or not (on Linux an open file goes
// with its folder).
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-engine';

afterAll(() => removeTempDirs());

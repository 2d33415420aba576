// Worker entry when running from TypeScript sources (tests, `npm run web`): loads
// tsx into this thread, then the real worker. The built app uses job-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./job-worker.ts');

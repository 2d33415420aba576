// Parsing-thread entry when running from TypeScript sources (tests, `npm run web`,
// the CLI): loads tsx into this thread, then the real worker. The built app uses
// parse-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');

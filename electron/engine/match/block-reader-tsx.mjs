// Reading-thread entry when running from TypeScript sources (tests, `npm run web`,
// the CLI): loads tsx into this thread, then the real thread. The built app uses block-reader.js.
import { register } from 'tsx/esm/api';

register();
await import('./block-reader.ts');

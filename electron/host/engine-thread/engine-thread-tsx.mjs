// Engine thread entry when running from TypeScript sources (tests): loads tsx into
// this thread, then the real entry. The built app uses engine-thread.js.
import { register } from 'tsx/esm/api';

register();
await import('./engine-thread.ts');

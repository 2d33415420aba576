import v8 from 'node:v8';
if (process.env.V8FLAGS) v8.setFlagsFromString(process.env.V8FLAGS);
await import('../bench/child');

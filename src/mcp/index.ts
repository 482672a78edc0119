export { serveMcp } from './server';
export type { McpServerOptions } from './server';

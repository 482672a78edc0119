export { serveMcp } from './session';
export type { McpServerOptions } from './session';

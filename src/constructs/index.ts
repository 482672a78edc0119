export * from './builders';
export { StateMachineValidator } from './validation-aspect';
export type { StateMachineValidatorProps } from './validation-aspect';

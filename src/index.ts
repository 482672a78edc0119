export * from './asl';
export * from './constructs';
export * from './render';

export * from './asl';
export * from './constructs';

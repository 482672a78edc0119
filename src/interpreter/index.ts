export * from '../asl/types';

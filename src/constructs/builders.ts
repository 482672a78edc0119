export * from './common';
export * from './express-validation';
export * from './task';
export * from './choice';
export * from './map';
export * from './saga';
export * from './try-catch';

export * from './enums';
export * from './common';
export * from './auth';
export * from './errands';
export * from './staff';
export * from './lifecycle';
export * from './masking';
export * from './live';

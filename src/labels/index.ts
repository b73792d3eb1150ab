export * from './label-rules';
export * from './label-selector';

/**
 * Health: gitops-engine's built-in health rules for the common kinds
 * (`assessHealth`), a resource's health from its desired and live objects
 * (`resourceHealth`), and the Application's health (`aggregateHealth`).
 * Pure functions; semantics.md B2 is the specification.
 */
export * from './aggregate-health';
export * from './assess-health';
export * from './health-status';
export { FieldTypeError } from './object-fields';

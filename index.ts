import type { GatewayDefinition } from './schema/gateway.types.js';

export type * from './schema/gateway.types.js';

/**
 * Gives a gateway.ts editor completion and type checking. It is an identity function because
 * the compiler never runs the file: it reads the object literal passed here statically.
 */
export function defineGateway<const T extends GatewayDefinition>(definition: T): T {
  return definition;
}

/** A reference to an environment variable of the gateway, resolved when it starts, never at build time. */
export function env(name: string): string {
  return `\${env:${name}}`;
}

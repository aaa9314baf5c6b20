/**
 * The service exceptions of an AWS client (its `models/errors.js`) in a Lambda bundle. The
 * generated module writes one class per exception the service can return, each the same 200-odd
 * bytes of class body around its name, fault and members, and every one stays in the bundle (the
 * client's schemas register them all for error deserialization): 35 classes for DynamoDB, 34 for
 * SES. The bundle makes each with this one function instead, from the same facts, so an instance
 * has the same own properties in the same order, the same prototype chain, `shapeId` and class
 * name as the generated class's, and `instanceof` answers the same. Only a module of exactly the
 * generated form is rewritten (infra/constructs/function-bundle.ts checks that it can write the
 * original back from what it read). Run from source, the SDK's own classes stay.
 */
type ServiceExceptionClass = new (options: Record<string, unknown>) => Error;

/** `Object.defineProperty` as a class field defines: writable, enumerable, configurable. */
const defineField = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });

/**
 * The class of the exception `name` (shape `namespace#name`), a subclass of the client's service
 * exception: its `fault`, whether it declares `$retryable = {}`, and its members, which it copies
 * from the options as the generated constructor does.
 */
export function serviceErrorClass(
  Base: ServiceExceptionClass,
  namespace: string,
  name: string,
  fault: 'client' | 'server',
  members: readonly string[] = [],
  retryable = false,
): ServiceExceptionClass {
  const ServiceError = class extends Base {
    static shapeId = `${namespace}#${name}`;
    constructor(options: Record<string, unknown>) {
      super({ name, $fault: fault, ...options });
      // The generated class's fields, in its order.
      defineField(this, 'name', name);
      defineField(this, '$fault', fault);
      if (retryable) defineField(this, '$retryable', {});
      for (const member of members) defineField(this, member, undefined);
      Object.setPrototypeOf(this, ServiceError.prototype);
      for (const member of members) (this as Record<string, unknown>)[member] = options[member];
    }
  };
  Object.defineProperty(ServiceError, 'name', { value: name });
  return ServiceError;
}

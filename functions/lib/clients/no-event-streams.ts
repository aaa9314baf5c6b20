/**
 * `@smithy/core/event-streams` in a Lambda bundle. Only operations with an event-stream member
 * use it (S3 SelectObjectContent, none of our calls), yet every client carries the codec (about
 * 15 KB). The S3 client still wires a marshaller at construction: it gets one that refuses, by
 * name, if an event stream is ever asked for. Run from source, the SDK's own module stays.
 */
const refuse = (): never => {
  throw new Error('Event streams are not bundled in Redress functions (functions/lib/clients/no-event-streams.ts)');
};

export const eventStreamSerdeProvider = () => ({ serialize: refuse, deserialize: refuse });

export const resolveEventStreamSerdeConfig = <T extends { eventStreamSerdeProvider: (input: T) => unknown }>(
  input: T,
) => Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

export class EventStreamSerde {
  constructor() {
    refuse();
  }
}

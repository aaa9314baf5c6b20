/**
 * The SigV4 signer's `HeaderFormatter` (`@smithy/signature-v4`) in a Lambda bundle. Every signer
 * makes one, but only `signMessage` calls it, to write an event-stream message's headers before
 * signing them, and no Redress call has an event stream (no-event-streams.ts). This leaves out the
 * header writer and its 64-bit integer type (about 2 KB); should a message ever be signed, it
 * fails by name. Run from source, the SDK's own stays.
 */
export class HeaderFormatter {
  format(): never {
    throw new Error(
      'Event-stream message signing is not bundled in Redress functions (functions/lib/clients/no-event-signing.ts)',
    );
  }
}

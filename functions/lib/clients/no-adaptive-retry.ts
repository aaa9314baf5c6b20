/**
 * `AdaptiveRetryStrategy` (`@smithy/core`'s retry) in a Lambda bundle. The SDK builds it only
 * when the retry mode is "adaptive": from a client's `retryMode`, AWS_RETRY_MODE or a config
 * file's `retry_mode`. No Redress client sets one, no function is given AWS_RETRY_MODE
 * (infra/constructs/redress-function.ts names every variable) and a bundle reads no config file
 * (no-config-files.ts), so every client retries in the standard mode. This leaves out the
 * strategy and its client-side rate limiter (about 3 KB); should adaptive mode ever be asked for,
 * the client fails by name rather than retry differently. Run from source, the SDK's own stays.
 */
export class AdaptiveRetryStrategy {
  constructor() {
    throw new Error(
      'The adaptive retry mode is not bundled in Redress functions (functions/lib/clients/no-adaptive-retry.ts): unset AWS_RETRY_MODE or retryMode',
    );
  }
}

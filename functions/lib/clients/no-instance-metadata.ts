/**
 * `getInstanceMetadataRegion` (`@smithy/core`'s config resolver) in a Lambda bundle. The SDK asks
 * the EC2 instance metadata service for the region only when AWS_REGION is not set (or, in the
 * "auto" defaults mode, when AWS_EXECUTION_ENV is not): Lambda sets both, and has no metadata
 * service. The answer "unknown" is the one the SDK itself gives when the service is not there.
 * Run from source, the SDK's own lookup stays.
 */
export const getInstanceMetadataRegion = async (): Promise<string | undefined> => undefined;

/**
 * `loadSharedConfigFiles` (`@smithy/core`'s shared-ini-file-loader) in a Lambda bundle. The SDK
 * reads `~/.aws/config` and `~/.aws/credentials` for each setting the environment does not give
 * (region, retries, checksums, endpoints…) and takes an empty profile when they are absent, as
 * they always are in Lambda: no such files are deployed and no AWS_CONFIG_FILE or
 * AWS_SHARED_CREDENTIALS_FILE is set (infra/constructs/redress-function.ts names every variable).
 * So the bundle gets the empty files without reading the disk or carrying the INI parser. Run
 * from source (the local stack, tests), the SDK's own loader stays.
 */
export const loadSharedConfigFiles = async (_init?: unknown) => ({ configFile: {}, credentialsFile: {} });

/** Re-exported by the module this replaces (the profile-name separator, as the SDK defines it). */
export const CONFIG_PREFIX_SEPARATOR = '.';

/**
 * The credentials of every AWS client in a Lambda bundle: the execution role's, which Lambda puts
 * in the environment. The bundle uses this in place of the SDK's default chain
 * (`@aws-sdk/credential-provider-node`: profiles, SSO, web identity, instance metadata), which a
 * function never needs and which would add about 90 KB to each one. Run from source (the local
 * stack, tests), the SDK's own chain stays.
 */
export function defaultProvider() {
  return async () => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey)
      throw new Error(
        'Environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them from the execution role)',
      );
    const sessionToken = process.env.AWS_SESSION_TOKEN;
    const expiration = process.env.AWS_CREDENTIAL_EXPIRATION;
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      ...(expiration ? { expiration: new Date(expiration) } : {}),
    };
  };
}

/**
 * The API description's two names that its checks need without building it (the test run's
 * response checker imports only these, not the catalog and every schema).
 */

/** Where a catalog route with no contract is told to get one. */
export const CONTRACT_FILE = 'functions/http/shared/api-contract.ts';
/** Marks an operation the catalog serves but no contract describes: the suite fails on it. */
export const UNDESCRIBED = 'x-redress-undescribed';

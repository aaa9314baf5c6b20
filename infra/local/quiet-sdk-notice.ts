// The AWS SDK warns on every start that it will want Node 22 from 2027. On a laptop it only
// buries the ready line; every other warning still prints. Imported first by start.ts.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.includes('AWS SDK for JavaScript (v3)')) return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

import './node-version';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { holidayDataWarnings } from '../../functions/domain/desk';
import { InvalidConfigError } from '../../functions/domain/config';
import { loadDeploymentConfig } from '../deploy-config';
import { localDataDir } from './local-table';
import { PrerequisiteError } from './prerequisites';
import { startLocalStack, type LocalStack } from './stack';

/**
 * `npm start`: the whole of Redress on this machine. Prints one line containing `ready` with the
 * URLs once it takes requests; Ctrl-C or SIGTERM stops everything it started.
 */
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name}=${raw} is not a valid number. Fix: unset it or give a number, e.g. ${name}=${fallback}`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();

// Signals are handled from the first moment: one that arrives while the stand-ins are still
// starting waits for them, then stops them, so no Java process is left behind.
let stack: LocalStack | undefined;
let starting: Promise<unknown> = Promise.resolve();
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping Redress…`);
  const force = setTimeout(() => process.exit(1), 5000);
  await starting.catch(() => undefined);
  await stack?.stop();
  clearTimeout(force);
  console.log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  const clockScale = numberFrom('REDRESS_CLOCK_SCALE', 1);
  if (clockScale <= 0)
    throw new PrerequisiteError(
      'REDRESS_CLOCK_SCALE must be greater than 0',
      'unset it, or REDRESS_CLOCK_SCALE=3600 to make an hour pass in a second',
    );
  // The same redress.config.json that `cdk deploy` reads (defaults when it is absent).
  const config = loadDeploymentConfig(
    process.env.REDRESS_CONFIG_FILE ? path.resolve(process.env.REDRESS_CONFIG_FILE) : undefined,
  );
  // Short of holiday data in the next 90 days: Redress still starts, and says so.
  for (const warning of holidayDataWarnings(config.desk, new Date())) console.log(warning);
  const startup = startLocalStack({
    rootDir,
    port: numberFrom('PORT', 3000),
    mailPort: numberFrom('MAIL_PORT', 8005),
    phonePort: numberFrom('PHONE_PORT', 8006),
    inboundMailPort: numberFrom('INBOUND_MAIL_PORT', 2525),
    dataDir: localDataDir(rootDir),
    clockScale,
    clockControl: process.env.REDRESS_CLOCK_CONTROL === '1',
    mailFrom: process.env.MAIL_FROM || config.mailFrom,
    desk: config.desk,
    publicBaseUrl: process.env.PUBLIC_BASE_URL || undefined,
  });
  starting = startup;
  stack = await startup;
  if (!stopping) {
    const { urls } = stack;
    console.log(
      `Redress ready in ${((Date.now() - started) / 1000).toFixed(1)} s — api ${urls.api}/complaints  mailbox ${urls.mailbox}/  phone ${urls.phone}/  s3 ${urls.s3}  dynamodb ${urls.dynamodb}  stepfunctions ${urls.stepFunctions}  events ${urls.events}/  inbound smtp ${urls.inboundSmtp}  clock x${clockScale}${urls.clock ? ` (moved by POST ${urls.clock})` : ''}  node ${process.version}${stack.redriven ? `  resumed ${stack.redriven} open complaint(s)` : ''}${stack.resumedDeliveries ? `  resumed ${stack.resumedDeliveries} webhook deliver(ies)` : ''}`,
    );
  }
} catch (error) {
  if (error instanceof PrerequisiteError) console.error(`Redress cannot start: ${error.problem}. Fix: ${error.fix}`);
  else if (error instanceof InvalidConfigError) console.error(`Redress cannot start: ${error.message}`);
  else console.error('Redress failed to start:', error);
  process.exit(1);
}

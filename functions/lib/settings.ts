import { DEFAULT_DESK_CONFIG, parseDeskConfig, type DeskConfig } from '../domain/config';

/**
 * What a handler needs from its environment, read once at cold start. A missing variable fails
 * the load with its name, not a request later with an undefined.
 */
export interface Settings {
  tableName: string;
  evidenceBucket: string;
  stateMachineArn: string;
  publicBaseUrl: string;
  mailFrom: string;
  clockScale: number;
  desk: DeskConfig;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

function readSettings(): Settings {
  const clockScale = Number(process.env.REDRESS_CLOCK_SCALE ?? '1');
  if (!(clockScale > 0)) throw new Error(`Environment variable REDRESS_CLOCK_SCALE must be a positive number, got "${process.env.REDRESS_CLOCK_SCALE}"`);
  const rawConfig = process.env.REDRESS_CONFIG;
  return {
    tableName: required('TABLE_NAME'),
    evidenceBucket: required('EVIDENCE_BUCKET'),
    stateMachineArn: required('STATE_MACHINE_ARN'),
    publicBaseUrl: required('PUBLIC_BASE_URL').replace(/\/+$/, ''),
    mailFrom: required('MAIL_FROM'),
    clockScale,
    desk: rawConfig ? parseDeskConfig(JSON.parse(rawConfig)) : DEFAULT_DESK_CONFIG,
  };
}

let cached: Settings | undefined;

/** The settings, read on first use and kept for the life of the process (one Lambda container). */
export function settings(): Settings {
  cached ??= readSettings();
  return cached;
}

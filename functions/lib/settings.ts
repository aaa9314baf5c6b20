import type { DeskConfig } from '../domain/config';

/**
 * What a handler needs from its environment, each read on first use and kept for the life of the
 * process (one Lambda container). A function is given only the variables it uses; reading one
 * that is not set fails with its name, not later with an undefined.
 *
 * The desk config is validated (defaults applied) before it gets here: at synth, and bundled
 * into each function as a constant; on the laptop, at `npm start`, and handed to the in-process
 * handlers in REDRESS_CONFIG. So no function loads the config schema.
 */
export interface Settings {
  readonly tableName: string;
  readonly evidenceBucket: string;
  readonly stateMachineArn: string;
  readonly publicBaseUrl: string;
  readonly mailFrom: string;
  readonly clockScale: number;
  readonly desk: DeskConfig;
  /** The custom EventBridge bus the platform events go to (EVENT_BUS_NAME). */
  readonly eventBusName: string;
  /**
   * The End User Messaging configuration set texts name, so their delivery events reach the desk:
   * the stack's own (SMS_CONFIGURATION_SET), else `desk.sms.configurationSet`; none, none.
   */
  readonly smsConfigurationSet: string | undefined;
}

/** The validated desk config as JSON, compiled into the bundle (infra/constructs/function-bundle.ts); absent when run from source. */
declare const __REDRESS_DESK_CONFIG__: DeskConfig | undefined;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

function readClockScale(): number {
  const clockScale = Number(process.env.REDRESS_CLOCK_SCALE ?? '1');
  if (!(clockScale > 0))
    throw new Error(
      `Environment variable REDRESS_CLOCK_SCALE must be a positive number, got "${process.env.REDRESS_CLOCK_SCALE}"`,
    );
  return clockScale;
}

function readDesk(): DeskConfig {
  if (typeof __REDRESS_DESK_CONFIG__ !== 'undefined') return __REDRESS_DESK_CONFIG__;
  return JSON.parse(required('REDRESS_CONFIG')) as DeskConfig;
}

const readers: { [K in keyof Settings]: () => Settings[K] } = {
  tableName: () => required('TABLE_NAME'),
  evidenceBucket: () => required('EVIDENCE_BUCKET'),
  stateMachineArn: () => required('STATE_MACHINE_ARN'),
  publicBaseUrl: () => required('PUBLIC_BASE_URL').replace(/\/+$/, ''),
  mailFrom: () => required('MAIL_FROM'),
  clockScale: readClockScale,
  desk: readDesk,
  eventBusName: () => required('EVENT_BUS_NAME'),
  smsConfigurationSet: () => process.env.SMS_CONFIGURATION_SET || readDesk().sms.configurationSet,
};

const read = new Map<keyof Settings, unknown>();

const cached = Object.defineProperties(
  {},
  Object.fromEntries(
    (Object.keys(readers) as (keyof Settings)[]).map((key) => [
      key,
      {
        enumerable: true,
        get: () => {
          if (!read.has(key)) read.set(key, readers[key]());
          return read.get(key);
        },
      },
    ]),
  ),
) as Settings;

/** The settings; each one is read when a handler first uses it. */
export function settings(): Settings {
  return cached;
}

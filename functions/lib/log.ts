/**
 * Structured JSON logs. Personal data never goes in: emails, phones and free text are
 * replaced before a line is written.
 */
const REDACTED_KEYS = /email|phone|name|description|desiredOutcome|contactHistory|reason|note|findings|reply|comment|token|nonce/i;

function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: redactText(value.message), stack: value.stack?.split('\n').slice(0, 6).join('\n') };
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return depth > 4 ? '[…]' : value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 4) return '[…]';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, REDACTED_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]));
  }
  return value;
}

function redactText(text: string): string {
  return text.replace(/[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+/g, '[email]').replace(/\+?\d[\d ()-]{7,}\d/g, '[phone]');
}

function write(level: string, message: string, data?: Record<string, unknown>) {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...(data ? (redact(data) as object) : {}) });
  if (level === 'error' || level === 'warn') console.error(line);
  else if (process.env.REDRESS_LOG_LEVEL !== 'silent') console.log(line);
}

export const log = {
  info: (message: string, data?: Record<string, unknown>) => write('info', message, data),
  warn: (message: string, data?: Record<string, unknown>) => write('warn', message, data),
  error: (message: string, data?: Record<string, unknown>) => write('error', message, data),
};

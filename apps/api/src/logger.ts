import { type Logger, type LoggerOptions, pino } from 'pino';

/** Anything shaped like a Tollgate token, a Bearer credential or a session cookie is never written to a log. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.secret',
];

const TOKEN_SHAPED = /\b[a-z][a-z0-9]{1,9}[ps]_[0-9A-Za-z]{36}\b/g;

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: {
      // Free-text messages may quote a token by accident (an error echoing input, say); mask it.
      logMethod(args, method) {
        const masked = args.map((arg) =>
          typeof arg === 'string' ? arg.replace(TOKEN_SHAPED, '[redacted]') : arg,
        );
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return {
          id: request.id,
          method: request.method,
          url: request.url.replace(TOKEN_SHAPED, '[redacted]'),
        };
      },
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}

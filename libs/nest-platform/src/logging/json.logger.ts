import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/env';

const SEVERITY: Readonly<Record<LogLevel, number>> = { fatal: 0, error: 1, warn: 2, log: 3, debug: 4, verbose: 5 };

export interface JsonLoggerOptions {
  readonly service: string;
  readonly level?: LogLevel;
  /** Where lines go; stdout by default. */
  readonly write?: (line: string) => void;
}

/**
 * Nest LoggerService writing one JSON object per line:
 *   {"time":"…","level":"log","service":"sample-view","context":"Materializer","msg":"…", …fields}
 * A message may be a string or an object (its fields are merged in; `msg` names the event). Errors carry
 * their stack in `stack`. Used by Nest itself (NestFactory.create({ logger })) and by plain scripts.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;
  private readonly write: (line: string) => void;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = SEVERITY[options.level ?? 'log'];
    this.write = options.write ?? ((line) => process.stdout.write(line));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('log', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }
  /** Nest calls error(message, stack?, context?). */
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  /** A logger with a fixed context, for code outside Nest's DI (scripts, callbacks). */
  child(context: string): ContextLogger {
    return new ContextLogger(this, context);
  }

  isEnabled(level: LogLevel): boolean {
    return SEVERITY[level] <= this.threshold;
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.isEnabled(level)) return;
    // Nest appends the context as the last string argument; error() may put a stack before it.
    const params = [...rest];
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, service: this.options.service };
    if (context) entry['context'] = context;
    if (message instanceof Error) {
      entry['msg'] = message.message;
      entry['error'] = message.name;
      entry['stack'] = message.stack;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(entry, message);
    } else {
      entry['msg'] = String(message);
    }
    for (const param of params) {
      if (typeof param === 'string' && level === 'error') entry['stack'] = param;
      else if (param instanceof Error) entry['stack'] = param.stack;
      else if (param !== undefined) entry['extra'] = param;
    }
    this.write(`${JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
  }
}

export class ContextLogger {
  constructor(
    private readonly logger: JsonLogger,
    private readonly context: string,
  ) {}
  log(message: unknown): void {
    this.logger.log(message, this.context);
  }
  warn(message: unknown): void {
    this.logger.warn(message, this.context);
  }
  error(message: unknown): void {
    this.logger.error(message, this.context);
  }
  fatal(message: unknown): void {
    this.logger.fatal(message, this.context);
  }
  debug(message: unknown): void {
    this.logger.debug(message, this.context);
  }
}

import { JsonLogger } from './json.logger';

function capture(level?: 'warn' | 'log') {
  const lines: string[] = [];
  const logger = new JsonLogger({ service: 'svc', ...(level ? { level } : {}), write: (line) => lines.push(line) });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with service, level, context and merged fields', () => {
    const { logger, lines, entries } = capture();
    logger.log({ msg: 'view consumer started', view: 'users', offset: 5n }, 'Materializer');
    logger.log('plain text');
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'log',
        service: 'svc',
        context: 'Materializer',
        msg: 'view consumer started',
        view: 'users',
        offset: '5',
      }),
      expect.objectContaining({ level: 'log', service: 'svc', msg: 'plain text' }),
    ]);
  });

  it('keeps the stack of errors and of Nest-style error(message, stack, context)', () => {
    const { logger, entries } = capture();
    logger.error(new Error('boom'), 'Main');
    logger.error('failed', 'Error: x\n    at y', 'ExceptionsHandler');
    expect(entries()[0]).toMatchObject({
      level: 'error',
      msg: 'boom',
      error: 'Error',
      context: 'Main',
      stack: expect.stringContaining('boom'),
    });
    expect(entries()[1]).toMatchObject({ msg: 'failed', stack: 'Error: x\n    at y', context: 'ExceptionsHandler' });
  });

  it('drops entries below its level', () => {
    const { logger, entries } = capture('warn');
    logger.log('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    logger.child('Feed').fatal('shown too');
    expect(entries().map((e) => [e['level'], e['msg'], e['context']])).toEqual([
      ['warn', 'shown', undefined],
      ['fatal', 'shown too', 'Feed'],
    ]);
  });
});

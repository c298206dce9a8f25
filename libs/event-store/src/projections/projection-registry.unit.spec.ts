import { ProjectionRegistry, projectionStatusJson } from './projection-registry';
import type { ProjectionStatus } from './projection-runner';

const status = (name: string, over: Partial<ProjectionStatus> = {}): ProjectionStatus => ({
  name,
  runnerId: `runner-${name}`,
  state: 'stopped',
  position: 0n,
  readPosition: 0n,
  headPosition: null,
  lag: null,
  lagMs: null,
  parkedCount: 0,
  lastError: null,
  lastProcessedAt: null,
  ...over,
});

class FakeRunner {
  state: ProjectionStatus['state'] = 'stopped';
  constructor(readonly name: string) {}
  start() {
    this.state = 'live';
  }
  async stop() {
    this.state = 'stopped';
  }
  status() {
    return status(this.name, { state: this.state });
  }
}

describe('ProjectionRegistry', () => {
  it('starts, lists and stops every registered runner, refusing a second runner for a name', async () => {
    const registry = new ProjectionRegistry<FakeRunner>();
    registry.register(new FakeRunner('a'));
    registry.register(new FakeRunner('b'));
    expect(() => registry.register(new FakeRunner('a'))).toThrow(/already registered/);
    registry.startAll();
    expect(registry.statuses().map((s) => [s.name, s.state])).toEqual([
      ['a', 'live'],
      ['b', 'live'],
    ]);
    expect(registry.get('b')?.name).toBe('b');
    await registry.stopAll();
    expect(registry.statuses().every((s) => s.state === 'stopped')).toBe(true);
  });
});

describe('projectionStatusJson', () => {
  it('turns bigints into decimal strings and dates into ISO strings so JSON.stringify works', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const s = status('p', {
      state: 'backing-off',
      position: 2n ** 70n,
      readPosition: 2n ** 70n + 3n,
      headPosition: 2n ** 70n + 5n,
      lag: 5n,
      lagMs: 1500,
      parkedCount: 1,
      lastError: { message: 'boom', at, eventId: 'e1' },
      lastProcessedAt: at,
    });
    expect(JSON.parse(JSON.stringify(projectionStatusJson(s)))).toEqual({
      name: 'p',
      runnerId: 'runner-p',
      state: 'backing-off',
      position: '1180591620717411303424',
      readPosition: '1180591620717411303427',
      headPosition: '1180591620717411303429',
      lag: '5',
      lagMs: 1500,
      parkedCount: 1,
      lastError: { message: 'boom', at: '2026-01-02T03:04:05.000Z', eventId: 'e1' },
      lastProcessedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(projectionStatusJson(status('q'))).toMatchObject({ headPosition: null, lag: null, lastProcessedAt: null });
  });
});

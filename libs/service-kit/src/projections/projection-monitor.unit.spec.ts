import { ProjectionMonitor, type ProjectionStatusView } from './projection-monitor';

describe('ProjectionMonitor', () => {
  let now = 0;
  let views: ProjectionStatusView[] = [];
  const monitor = new ProjectionMonitor(() => now);
  monitor.configure({ stallMs: 10_000 });
  monitor.add('customers', async () => views);
  const view = (v: Partial<ProjectionStatusView>): ProjectionStatusView => ({
    name: 'customers.relay',
    state: 'running',
    position: 10n,
    lag: 0,
    parked: 0,
    ...v,
  });

  it('reports a caught-up runner as not stuck, whatever the time', async () => {
    views = [view({})];
    now = 0;
    await monitor.statuses();
    now = 100_000;
    expect(await monitor.statuses()).toEqual([{ ...views[0], service: 'customers', stuck: false }]);
  });

  it('calls a lagging runner stuck only after its checkpoint has not moved for the stall time', async () => {
    views = [view({ position: 20n, lag: 5 })];
    now = 200_000;
    expect((await monitor.statuses())[0].stuck).toBe(false);
    now = 209_999;
    expect((await monitor.statuses())[0].stuck).toBe(false);
    now = 210_000;
    const [s] = await monitor.statuses();
    expect(s.stuck).toBe(true);
    expect(s.reason).toBe('5 events waiting and no progress for 10 s');
    views = [view({ position: 21n, lag: 4 })];
    expect((await monitor.statuses())[0].stuck).toBe(false);
  });

  it('calls a failed runner stuck at once, with its error', async () => {
    views = [view({ state: 'failed', lastError: 'relation "x" does not exist' })];
    const [s] = await monitor.statuses();
    expect(s).toMatchObject({ stuck: true, reason: 'runner is failed: relation "x" does not exist' });
  });

  it('filters by service and refuses a service registered twice', async () => {
    expect(await monitor.statuses('reporting')).toEqual([]);
    expect(() => monitor.add('customers', async () => [])).toThrow('registered twice');
  });
});

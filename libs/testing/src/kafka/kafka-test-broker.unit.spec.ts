import { requireKafka } from './kafka-test-broker';

describe('requireKafka', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('runs against KAFKA_BROKERS, or the mock cluster when librdkafka-dev is installed', () => {
    expect(requireKafka('s', { env: { KAFKA_BROKERS: 'k:9092' }, hasMockHeaders: () => false })).toBe(true);
    expect(requireKafka('s', { env: {}, hasMockHeaders: () => true })).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it('says SKIPPED without either', () => {
    expect(requireKafka('my suite', { env: {}, hasMockHeaders: () => false })).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^SKIPPED my suite: no Kafka .*librdkafka-dev/));
  });

  it('fails instead under CI=true: a skipped Kafka suite must not pass CI', () => {
    expect(() => requireKafka('my suite', { env: { CI: 'true' }, hasMockHeaders: () => false })).toThrow(/CI=true/);
  });
});

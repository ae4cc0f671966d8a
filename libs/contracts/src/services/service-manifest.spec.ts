import { allTopics } from '../topics/topic-catalogue';
import { parseServiceManifest, producerOf, serviceManifest, serviceNamed, type ServiceEntry } from './service-manifest';
import manifestJson from './services.json';

const entry = (overrides: Partial<ServiceEntry> = {}): ServiceEntry => ({
  name: 'shipping',
  port: 3002,
  database: 'shipping',
  kafka: true,
  consumes: ['users'],
  produces: ['shipments'],
  demo: 'default',
  systemTests: true,
  ...overrides,
});

describe('services manifest', () => {
  it('is valid (the module parses it on load)', () => {
    expect(serviceManifest.length).toBe(manifestJson.services.length);
    expect(serviceNamed('order-validation').database).toBe('order_validation');
  });

  it('names only topics of the catalogue', () => {
    const known = allTopics.map((t) => t.name);
    for (const s of serviceManifest)
      for (const topic of [...s.consumes, ...s.produces])
        expect({ service: s.name, topic, known: known.includes(topic) }).toEqual({ service: s.name, topic, known: true });
  });

  it("gives every topic exactly one producing service: the catalogue's writer", () => {
    for (const topic of allTopics) {
      const producers = serviceManifest.filter((s) => s.produces.includes(topic.name)).map((s) => s.name);
      expect({ topic: topic.name, producers }).toEqual({ topic: topic.name, producers: [topic.writer] });
      expect(producerOf(topic.name)?.name).toBe(topic.writer);
    }
  });

  it('has every topic consumed by someone, and Kafka-less services only produce through CDC', () => {
    for (const topic of allTopics)
      expect({ topic: topic.name, consumed: serviceManifest.some((s) => s.consumes.includes(topic.name)) }).toEqual({
        topic: topic.name,
        consumed: true,
      });
    for (const s of serviceManifest.filter((x) => !x.kafka)) {
      for (const name of s.produces)
        expect({ service: s.name, topic: name, via: allTopics.find((t) => t.name === name)?.via }).toEqual({
          service: s.name,
          topic: name,
          via: 'cdc',
        });
    }
    for (const s of serviceManifest.filter((x) => x.kafka)) {
      for (const name of s.produces)
        expect({ service: s.name, topic: name, via: allTopics.find((t) => t.name === name)?.via }).toEqual({
          service: s.name,
          topic: name,
          via: undefined,
        });
    }
  });

  it('refuses a typo with a message that names the field', () => {
    const bad = {
      services: [entry(), entry({ name: 'Fraud_Detection', port: 3002, database: 'fraud_detection', produces: ['fraud-alert'] })],
    };
    expect(() => parseServiceManifest(bad, 'test.json')).toThrow(/test\.json is not a valid services manifest/);
    let message = '';
    try {
      parseServiceManifest(bad, 'test.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('services[1].name');
    expect(message).toContain('must be kebab-case');
    expect(message).toContain('"fraud-alert" is not a topic of the catalogue');
    expect(message).toContain("port 3002 is also shipping's");
  });

  it('refuses unknown fields and a consumer without Kafka', () => {
    expect(() => parseServiceManifest({ services: [{ ...entry(), prot: 3002 }] })).toThrow(/prot/);
    expect(() => parseServiceManifest({ services: [entry({ kafka: false })] })).toThrow(/has no Kafka client/);
  });

  it('throws for a service it does not have', () => {
    expect(() => serviceNamed('shiping')).toThrow(/"shiping" is not a service of the manifest \(legacy-monolith, order-validation/);
  });
});

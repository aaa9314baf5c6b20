/**
 * `mnemonist/lru-cache` in a Lambda bundle: the DynamoDB client's endpoint-discovery cache
 * (`@aws-sdk/endpoint-cache`) is its only user, and it calls `new LRUCache(capacity)`, `get`,
 * `set`, `has`, `peek` and `clear` with string keys. The same least-recently-used cache on a
 * Map, in place of mnemonist and its iterator library (about 7 KB). Run from source, mnemonist stays.
 */
export default class LRUCache<V> {
  private readonly items = new Map<string, V>();

  constructor(readonly capacity: number) {
    if (typeof capacity !== 'number' || capacity <= 0)
      throw new Error('mnemonist/lru-cache: capacity should be positive number.');
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds or replaces `key`, now the most recently used; past capacity the least recently used goes. */
  set(key: string, value: V): void {
    if (this.items.has(key)) this.items.delete(key);
    else if (this.items.size >= this.capacity) this.items.delete(this.items.keys().next().value!);
    this.items.set(key, value);
  }

  /** The value of `key`, which becomes the most recently used. */
  get(key: string): V | undefined {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key)!;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  /** The value of `key`, leaving the order as it is. */
  peek(key: string): V | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  clear(): void {
    this.items.clear();
  }
}

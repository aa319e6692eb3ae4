// The last messages the bus published, for a WebSocket client that reconnects and asks for what it
// missed. A ring: a message costs a slot, whatever the capacity (dropping the oldest from the front of
// an array moved all the others, 20,000 of them, once per message of a backfill). A message is kept as
// it was published and serialised when it is first needed: by a live client as it arrives, or by a
// reconnecting one (a backfill with nobody watching serialises nothing).

export class ReplayRing<M extends { seq: number }> {
  private readonly messages: (M | undefined)[];
  private readonly json: (string | null)[];
  /** Slot of the oldest message. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.messages = new Array<M | undefined>(capacity).fill(undefined);
    this.json = new Array<string | null>(capacity).fill(null);
  }

  get size(): number {
    return this.count;
  }

  /** Keeps a message (and its JSON, when it was serialised already), forgetting the oldest when full. */
  push(message: M, json: string | null = null): void {
    if (this.capacity === 0) return;
    const slot = (this.head + this.count) % this.capacity;
    this.messages[slot] = message;
    this.json[slot] = json;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** The oldest message kept, if any. */
  first(): M | undefined {
    return this.count === 0 ? undefined : this.messages[this.head];
  }

  /** JSON of every message kept with a sequence number above `seq`, oldest first. */
  after(seq: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      const message = this.messages[slot]!;
      if (message.seq <= seq) continue;
      out.push((this.json[slot] ??= JSON.stringify(message)));
    }
    return out;
  }
}

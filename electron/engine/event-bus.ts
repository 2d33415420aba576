import { EventEmitter } from 'node:events';
import type { EventName, EventPayloads } from '../../shared/contract';

/** Typed events from engine to every host (IPC send, SSE, CLI stderr). */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    this.emitter.emit(name, payload);
  }
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}

// Shared by the client tests: the gateway's address, a Chat for Node (the AI SDK's AbstractChat with a plain state,
// as @ai-sdk/react's Chat does with React state), and the native protocol as an independent source of expected values.
import { AbstractChat } from 'ai';

export const baseUrl = process.env.SLUICE_URL ?? 'http://127.0.0.1:5000';

export const weatherTool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 14 } },
    required: ['city'],
  },
};

/** ChatState in memory; every change wakes the waiters, so tests wait for a condition instead of sleeping. */
class MemoryChatState {
  status = 'ready';
  error = undefined;
  #waiters = [];

  constructor(messages = []) {
    this.messages = messages;
  }

  pushMessage = (message) => this.#change(() => { this.messages = [...this.messages, message]; });
  popMessage = () => this.#change(() => { this.messages = this.messages.slice(0, -1); });
  replaceMessage = (index, message) => this.#change(() => {
    this.messages = [...this.messages.slice(0, index), structuredClone(message), ...this.messages.slice(index + 1)];
  });
  snapshot = (value) => structuredClone(value);

  /** Resolves once predicate(messages) holds (checked now and after every change), or rejects after timeoutMs. */
  waitFor(predicate, timeoutMs = 15000) {
    if (predicate(this.messages)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('condition not met in time')), timeoutMs);
      this.#waiters.push({ predicate, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  #change(apply) {
    apply();
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.predicate(this.messages)) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** The AI SDK's Chat without React: what useChat drives in the browser. */
export class NodeChat extends AbstractChat {
  constructor({ messages, ...init } = {}) {
    const state = new MemoryChatState(messages);
    super({ ...init, state });
    this.memory = state;
  }
}

/** Turns the gateway's fault switch (Sluice:Faults:EnableEndpoint): cut every new response after n events, or never (null). */
export async function cutAfterEvents(n) {
  const response = await fetch(`${baseUrl}/v1/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cutAfterEvents: n }),
  });
  if (!response.ok) throw new Error(`POST /v1/faults: ${response.status}`);
}

/** The tool call's arguments for a prompt, from the native protocol (tool_call_end.arguments): what a dialect must carry. */
export async function nativeToolArguments(prompt, tools) {
  const response = await fetch(`${baseUrl}/v1/streams`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: prompt }], tools }),
  });
  const body = await response.text();
  const end = body.split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)))
    .find((event) => event.type === 'tool_call_end');
  if (!end) throw new Error(`no tool_call_end in:\n${body}`);
  return end.arguments;
}

export const textOf = (message) => message.parts.filter((part) => part.type === 'text').map((part) => part.text).join('');

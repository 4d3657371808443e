// The Vercel AI SDK's own client (Chat + DefaultChatTransport from the `ai` package, what useChat runs) against
// Sluice's /api/chat: the parts it builds, resume after a cut, stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefaultChatTransport } from 'ai';
import { NodeChat, baseUrl, cutAfterEvents, nativeToolArguments, textOf, weatherTool } from './support.mjs';

const newChat = (id) => new NodeChat({ id: `${id}-${Date.now()}`, transport: new DefaultChatTransport({ api: `${baseUrl}/api/chat` }) });

test('a message streams into one assistant message with the exact text', async () => {
  const chat = newChat('text');
  const text = 'Hello from Sluice: **markdown**, "quotes", a line\nbreak, data: not a field, and ünïcødé 😀';
  await chat.sendMessage({ text: `/echo ${text}` });

  assert.equal(chat.status, 'ready', chat.error?.message);
  assert.equal(chat.messages.length, 2);
  const [user, answer] = chat.messages;
  assert.equal(user.role, 'user');
  assert.equal(answer.role, 'assistant');
  assert.match(answer.id, /^msg-/);
  assert.deepEqual(answer.parts.map((part) => part.type), ['step-start', 'text']);
  assert.equal(textOf(answer), text);
  assert.equal(answer.parts[1].state, 'done');
});

test('a tool call arrives as a tool part with the parsed input the model produced', async () => {
  const prompt = 'Use get_weather for Paris, please.';
  const expected = JSON.parse(await nativeToolArguments(prompt, [weatherTool]));
  const chat = newChat('tool');
  await chat.sendMessage({ text: prompt }, { body: { tools: [weatherTool] } });

  assert.equal(chat.status, 'ready', chat.error?.message);
  const tool = chat.messages[1].parts.find((part) => part.type === 'tool-get_weather');
  assert.ok(tool, JSON.stringify(chat.messages[1].parts));
  assert.equal(tool.state, 'input-available');
  assert.match(tool.toolCallId, /^call_/);
  assert.deepEqual(tool.input, expected);
  assert.equal(typeof tool.input.city, 'string');
});

test('reasoning arrives as a reasoning part before the text', async () => {
  const chat = newChat('reasoning');
  await chat.sendMessage({ text: '/think The answer is 42.' });

  assert.equal(chat.status, 'ready', chat.error?.message);
  const parts = chat.messages[1].parts;
  assert.deepEqual(parts.map((part) => part.type), ['step-start', 'reasoning', 'text']);
  assert.equal(parts[1].text, 'Considering the question.');
  assert.equal(parts[2].text, 'The answer is 42.');
});

test('a provider failure is an error for the chat, and the partial answer does not look complete', async () => {
  const chat = newChat('error');
  await chat.sendMessage({ text: '/fail Partial answ' });

  assert.equal(chat.status, 'error');
  assert.equal(chat.error.message, 'The provider is overloaded.');
  const text = chat.messages[1].parts.find((part) => part.type === 'text');
  assert.equal(text.text, 'Partial answ');
  assert.equal(text.state, 'streaming');
});

test('a cut answer resumes with GET {api}/{id}/stream into the same message, without duplicates', async () => {
  const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
  const chat = newChat('resume');
  // Cut after 20 events while the log keeps 16 (Sluice:Log:MaxEventsPerStream in the host): the resumed replay must
  // begin with the compacted prefix (start, one text-start and text-delta with the text so far), then go on live.
  await cutAfterEvents(20);
  try {
    await chat.sendMessage({ text: `/echo ${words}` });
  } finally {
    await cutAfterEvents(null);
  }

  assert.equal(chat.status, 'error', 'the cut must not look like a finished answer');
  assert.equal(chat.messages.length, 2);
  const cutId = chat.messages[1].id;
  assert.ok(words.startsWith(textOf(chat.messages[1])), 'the cut answer is a prefix');
  assert.notEqual(textOf(chat.messages[1]), words);

  await chat.resumeStream();

  assert.equal(chat.status, 'ready', chat.error?.message);
  assert.equal(chat.messages.length, 2, JSON.stringify(chat.messages.map((m) => m.id)));
  assert.equal(chat.messages[1].id, cutId);
  assert.deepEqual(chat.messages[1].parts.map((part) => part.type), ['step-start', 'text']);
  assert.equal(textOf(chat.messages[1]), words);
});

test('resume answers 204 when the chat has no active run, and the chat stays as it is', async () => {
  const chat = newChat('idle');
  await chat.resumeStream();
  assert.equal(chat.status, 'ready');
  assert.equal(chat.messages.length, 0);
});

test('stop() plus POST {api}/{id}/stop cancels the run upstream; the chat keeps what arrived', async () => {
  const chat = newChat('stop');
  const sending = chat.sendMessage({ text: '/answer weekend-in-lisbon' });
  await chat.memory.waitFor((messages) => messages.length === 2 && textOf(messages[1]).length > 0);

  await chat.stop(); // Closes the client's request only.
  const stop = await fetch(`${baseUrl}/api/chat/${encodeURIComponent(chat.id)}/stop`, { method: 'POST' });
  assert.equal(stop.status, 202);
  await sending;

  assert.equal(chat.status, 'ready');
  const resumed = await fetch(`${baseUrl}/api/chat/${encodeURIComponent(chat.id)}/stream`);
  assert.equal(resumed.status, 204, 'the cancelled run is no longer the chat\'s active run');
  assert.ok(textOf(chat.messages[1]).length > 0);
});

// AG-UI's own client (HttpAgent from @ag-ui/client 1.0, which verifies the event sequence) against Sluice's /ag-ui.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpAgent } from '@ag-ui/client';
import { baseUrl, nativeToolArguments, weatherTool } from './support.mjs';

function newAgent(name, prompt) {
  const agent = new HttpAgent({ url: `${baseUrl}/ag-ui`, threadId: `${name}-${Date.now()}` });
  agent.messages = [{ id: 'u1', role: 'user', content: prompt }];
  return agent;
}

async function run(agent, parameters = {}) {
  const events = [];
  let failure;
  try {
    await agent.runAgent({ runId: `run-${Date.now()}`, ...parameters }, { onEvent: ({ event }) => { events.push(event); } });
  } catch (error) {
    failure = error;
  }

  return { events, failure };
}

const typesOf = (events) => events.map((event) => event.type).filter((type, i, all) => type !== all[i - 1]);

test('HttpAgent collects RUN_STARTED, the text message, RUN_FINISHED, and the final assistant message', async () => {
  const text = 'Hello AG-UI: "quotes", a line\nbreak and ünïcødé 😀';
  const agent = newAgent('text', `/echo ${text}`);
  const { events, failure } = await run(agent, { runId: 'run-text' });

  assert.equal(failure, undefined, failure?.message);
  assert.deepEqual(typesOf(events), ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
  assert.equal(events[0].threadId, agent.threadId);
  assert.equal(events[0].runId, 'run-text');
  assert.equal(events.at(-1).outcome.type, 'success');
  const seqs = events.map((event) => event.metadata.sluice.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'metadata.sluice.seq never goes back');

  const answer = agent.messages.at(-1);
  assert.equal(agent.messages.length, 2);
  assert.equal(answer.role, 'assistant');
  assert.equal(answer.content, text);
});

test('a tool call arrives as TOOL_CALL_* events and an assistant message with the call and its arguments', async () => {
  const prompt = 'Use get_weather for Oslo.';
  const expected = await nativeToolArguments(prompt, [weatherTool]);
  const agent = newAgent('tool', prompt);
  const { events, failure } = await run(agent, { tools: [weatherTool] });

  assert.equal(failure, undefined, failure?.message);
  assert.deepEqual(typesOf(events), ['RUN_STARTED', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'RUN_FINISHED']);
  const call = agent.messages.at(-1).toolCalls?.[0];
  assert.ok(call, JSON.stringify(agent.messages));
  assert.equal(call.function.name, 'get_weather');
  assert.equal(call.function.arguments, expected);
  assert.equal(events.find((event) => event.type === 'TOOL_CALL_END').metadata.sluice.valid, true);
});

test('reasoning arrives as a reasoning message before the answer', async () => {
  const agent = newAgent('reasoning', '/think Forty-two.');
  const { events, failure } = await run(agent);

  assert.equal(failure, undefined, failure?.message);
  assert.deepEqual(typesOf(events), [
    'RUN_STARTED', 'REASONING_START', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_END', 'REASONING_END',
    'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'RUN_FINISHED']);
  assert.equal(agent.messages.find((message) => message.role === 'reasoning')?.content, 'Considering the question.');
  assert.equal(agent.messages.at(-1).content, 'Forty-two.');
});

test('a provider failure surfaces as RUN_ERROR with the code and a message free of internals', async () => {
  const agent = newAgent('error', '/fail Partial');
  const { events } = await run(agent);

  const error = events.find((event) => event.type === 'RUN_ERROR');
  assert.ok(error, JSON.stringify(events.map((event) => event.type)));
  assert.equal(error.code, 'overloaded');
  assert.equal(error.message, 'The provider is overloaded.');
  assert.equal(events.at(-1).type, 'RUN_ERROR');
  assert.ok(!events.some((event) => event.type === 'RUN_FINISHED'));
});

test('POST {url}/{threadId}/stop cancels the run upstream; it finishes with the cancelled outcome', async () => {
  const agent = newAgent('stop', '/answer deploy-checklist');
  let stopped;
  const events = [];
  await agent.runAgent({ runId: 'run-stop' }, {
    onEvent: ({ event }) => {
      events.push(event);
      if (event.type === 'TEXT_MESSAGE_CONTENT' && !stopped) {
        stopped = fetch(`${baseUrl}/ag-ui/${encodeURIComponent(agent.threadId)}/stop`, { method: 'POST' });
      }
    },
  });

  assert.equal((await stopped).status, 202);
  const finished = events.at(-1);
  assert.equal(finished.type, 'RUN_FINISHED');
  assert.equal(finished.outcome.type, 'cancelled');
  const resumed = await fetch(`${baseUrl}/ag-ui/${encodeURIComponent(agent.threadId)}/stream`);
  assert.equal(resumed.status, 204);
});

// medplum-client.mjs: runs @medplum/core's FHIRcast client against our hub.
//
// Usage: node medplum-client.mjs HUB_URL CONTEXT_JSON
// Subscribes, connects, publishes DiagnosticReport-open, waits for it to come
// back over the WebSocket, reads the current context and unsubscribes.
// Exits non-zero on any failure.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

// @medplum/core needs a global WebSocket class on Node < 22 (interop.md)
globalThis.WebSocket ??= WebSocket;
const { MedplumClient } = await import('@medplum/core');

const [hubUrl, vectorPath] = process.argv.slice(2);
if (!hubUrl || !vectorPath) {
  console.error('usage: node medplum-client.mjs HUB_URL CONTEXT_JSON');
  process.exit(2);
}

const timer = setTimeout(() => fail('timed out'), 30000);

function fail(message) {
  console.error(`medplum interop: FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

function waitFor(target, type, predicate = () => true) {
  return new Promise((resolve) => {
    const listener = (event) => {
      if (predicate(event)) {
        target.removeEventListener(type, listener);
        resolve(event);
      }
    };
    target.addEventListener(type, listener);
  });
}

const url = new URL(hubUrl);
const medplum = new MedplumClient({
  baseUrl: `${url.origin}/`,
  fhircastHubUrl: url.pathname.replace(/^\//, ''),
  fetch: globalThis.fetch,
});
const topic = randomUUID();
const vector = JSON.parse(readFileSync(vectorPath, 'utf8'));
const context = vector.event.context;
const reportId = context.find((c) => c.key === 'report').resource.id;

try {
  const subRequest = await medplum.fhircastSubscribe(topic, ['DiagnosticReport-open', 'DiagnosticReport-close', 'syncerror']);
  check(subRequest.endpoint?.startsWith('ws://'), `no ws:// endpoint: ${subRequest.endpoint}`);
  console.log('subscribed');

  const connection = medplum.fhircastConnect(subRequest);
  await waitFor(connection, 'connect');
  console.log('connected');

  const received = waitFor(connection, 'message', (e) => e.payload?.event?.['hub.event'] === 'DiagnosticReport-open');
  await medplum.fhircastPublish(topic, 'DiagnosticReport-open', context);
  console.log('published');

  const message = await received;
  const echoed = message.payload.event.context.find((c) => c.key === 'report');
  check(echoed?.resource?.id === reportId, 'the broadcast carries another report');
  check(typeof message.payload.event['context.versionId'] === 'string', 'no context.versionId in the broadcast');
  console.log('received');

  const current = await medplum.fhircastGetContext(topic);
  check(current['context.type'] === 'DiagnosticReport', `context.type is ${current['context.type']}`);
  check(current.context.some((c) => c.key === 'report' && c.resource?.id === reportId), 'report missing from the current context');
  check(current.context.some((c) => c.key === 'content' && c.resource?.resourceType === 'Bundle'), 'no content Bundle');
  console.log('got context');

  const disconnected = waitFor(connection, 'disconnect');
  await medplum.fhircastUnsubscribe(subRequest);
  await disconnected;
  connection.disconnect();
  console.log('unsubscribed');
} catch (error) {
  fail(error?.stack ?? String(error));
}

clearTimeout(timer);
console.log('medplum interop: OK');
process.exit(0);

// medplum-drain.mjs: @medplum/core as the peer subscriber of bench-drain.
//
// Usage: node medplum-drain.mjs HUB_URL TOPIC
// Subscribes to DiagnosticReport-open on TOPIC and connects, the way an app
// does: a 'message' listener receives every event and the connection acks
// each one itself ({"id", "timestamp"}, as @medplum/core does). Prints
// "connected" when the socket is open and the number of events received when
// it gets SIGTERM (after unsubscribing).
//
// SPDX-License-Identifier: GPL-3.0-or-later

import WebSocket from 'ws';

// @medplum/core needs a global WebSocket class on Node < 22 (interop.md)
globalThis.WebSocket ??= WebSocket;
const { MedplumClient } = await import('@medplum/core');

const [hubUrl, topic] = process.argv.slice(2);
if (!hubUrl || !topic) {
  console.error('usage: node medplum-drain.mjs HUB_URL TOPIC');
  process.exit(2);
}

const url = new URL(hubUrl);
const medplum = new MedplumClient({
  baseUrl: `${url.origin}/`,
  fhircastHubUrl: url.pathname.replace(/^\//, ''),
  fetch: globalThis.fetch,
});

let received = 0;
const subRequest = await medplum.fhircastSubscribe(topic, ['DiagnosticReport-open']);
const connection = medplum.fhircastConnect(subRequest);
connection.addEventListener('message', () => {
  received++;
});
connection.addEventListener('connect', () => {
  console.log('connected');
});

process.on('SIGTERM', async () => {
  try {
    await medplum.fhircastUnsubscribe(subRequest);
  } catch {
    // the hub may be gone already
  }
  console.log(`received ${received}`);
  process.exit(0);
});

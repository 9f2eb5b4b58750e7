#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/TARGET/).

Small, hand-made inputs that reach each part of the code once; libFuzzer
mutates from there. The files are committed; rerun this after changing it:
    python3 tests/fuzz/make-seeds.py
The message target also starts from tests/data/vectors and tests/data/invalid.
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "data", "vectors")
MASK = b"\x37\xfa\x21\x3d"


def write(target, name, data):
    path = os.path.join(HERE, "corpus", target)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(data)


def frame(opcode, payload=b"", fin=True, masked=True, rsv=0):
    """A client frame (RFC 6455 section 5.2)."""
    head = bytes([(0x80 if fin else 0) | rsv | opcode])
    mask_bit = 0x80 if masked else 0
    n = len(payload)
    if n < 126:
        head += bytes([mask_bit | n])
    elif n <= 0xFFFF:
        head += bytes([mask_bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([mask_bit | 127]) + struct.pack(">Q", n)
    if not masked:
        return head + payload
    return head + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))


def close(code=None, reason=b""):
    return frame(0x8, b"" if code is None else struct.pack(">H", code) + reason)


def vector(name):
    with open(os.path.join(VECTORS, name), "rb") as f:
        return f.read()


def compact(name):
    return json.dumps(json.loads(vector(name)), separators=(",", ":")).encode()


# ws: byte 0 = read chunk (bits 0-5) and write mode (bits 6-7), then frames
ALL, SHORT, BLOCK, FAIL = 0x00, 0x40, 0x80, 0xC0
WHOLE = 0x3F
ack = compact("websocket-ack.json")
write("ws", "ack-then-close", bytes([ALL | WHOLE]) + frame(0x1, ack) + close(1000, b"bye"))
write("ws", "fragmented-2-byte-reads", bytes([ALL | 1]) + frame(0x1, ack[:5], fin=False)
      + frame(0x9, b"ping") + frame(0x0, ack[5:20], fin=False) + frame(0x0, ack[20:]) + close(1000))
write("ws", "short-writes-replies", bytes([SHORT | 3]) + frame(0x1, b"s please answer")
      + frame(0x2, b"\x00\x01binary") + frame(0x9, b"p" * 125) + frame(0xA, b"pong") + close(1001, b"going"))
write("ws", "broadcast-short-writes", bytes([SHORT | 5]) + frame(0x1, b"b" + b"x" * 200) + frame(0x1, b"b2") + close(1000))
write("ws", "blocked-writes-medium", bytes([BLOCK | 10]) + frame(0x1, b"s" * 300)
      + frame(0x1, b"s2") + close())
write("ws", "peer-gone", bytes([FAIL | WHOLE]) + frame(0x9, b"are you there") + frame(0x1, b"s"))
write("ws", "we-close-first", bytes([ALL | 7]) + frame(0x1, b"close me") + frame(0x1, b"more") + close(1000))
write("ws", "too-big", bytes([ALL | WHOLE]) + frame(0x1, b"x" * 5000))
write("ws", "too-big-fragments", bytes([ALL | 20]) + frame(0x1, b"x" * 3000, fin=False) + frame(0x0, b"y" * 3000))
write("ws", "unmasked", bytes([ALL | WHOLE]) + frame(0x1, b"hi", masked=False))
write("ws", "reserved-bits", bytes([ALL | WHOLE]) + frame(0x1, b"hi", rsv=0x40))
write("ws", "bad-utf8", bytes([ALL | WHOLE]) + frame(0x1, b"\xc0\xaf"))
write("ws", "bad-close-code", bytes([ALL | WHOLE]) + close(1005))
write("ws", "64-bit-length", bytes([ALL | WHOLE]) + b"\x81\xff" + struct.pack(">Q", 1 << 63) + MASK)
write("ws", "truncated", bytes([ALL | 2]) + frame(0x1, ack)[:-3])

# http: what a client sends on one connection
HOST = b"Host: 127.0.0.1\r\n"
TOPIC = b"7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37"


def request(method, path, body=b"", content_type=None, extra=b""):
    head = method + b" " + path + b" HTTP/1.1\r\n" + HOST + extra
    if content_type:
        head += b"Content-Type: " + content_type + b"\r\n"
    if body or method == b"POST":
        head += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    return head + b"\r\n" + body


FORM = b"application/x-www-form-urlencoded"
subscribe = json.loads(vector("subscription-request.json"))["body"].encode()
open_event = compact("diagnosticreport-open.json")
update = compact("diagnosticreport-update-request.json") if os.path.exists(
    os.path.join(VECTORS, "diagnosticreport-update-request.json")) else b"{}"

write("http", "discovery", request(b"GET", b"/fhircast/.well-known/fhircast-configuration"))
write("http", "subscribe", request(b"POST", b"/fhircast", subscribe, FORM))
write("http", "open-then-get", request(b"POST", b"/fhircast", subscribe, FORM)
      + request(b"POST", b"/fhircast/" + TOPIC, open_event, b"application/json")
      + request(b"GET", b"/fhircast/" + TOPIC))
write("http", "open-update", request(b"POST", b"/fhircast", subscribe, FORM)
      + request(b"POST", b"/fhircast", open_event, b"application/json")
      + request(b"POST", b"/fhircast", update, b"application/fhir+json"))
write("http", "unsubscribe", request(b"POST", b"/fhircast", b"hub.channel.type=websocket&hub.mode=unsubscribe&hub.topic="
      + TOPIC + b"&hub.channel.endpoint=ws%3A%2F%2F127.0.0.1%2Ffhircast%2Fws%2Fx", FORM))
write("http", "admin", request(b"GET", b"/admin/topics") + request(b"GET", b"/admin/subscribers?topic=" + TOPIC)
      + request(b"POST", b"/admin/subscribers/unknown/drop"))
write("http", "chunked", b"POST /fhircast HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
      b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(open_event) + open_event + b"\r\n0\r\n\r\n")
write("http", "too-large", b"POST /fhircast HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
      b"Content-Length: 2000000\r\n\r\n{")
write("http", "unknown-ws-endpoint", request(b"GET", b"/fhircast/ws/nobody", extra=b"Upgrade: websocket\r\n"
      b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"))
# 2019 prototype: subscribe, then the socket on /{topic}, then frames on it
legacy_topic = b"5C1E0B7A-93D2-4F68-A0B4-7E2D91C3F8A5"
write("http", "legacy-socket", request(b"POST", b"/", json.loads(vector("proto2019-subscribe-request.json"))["body"].encode(), FORM)
      + request(b"POST", b"/fhircast", b"hub.channel.type=websocket&hub.mode=subscribe&hub.topic=" + legacy_topic
                + b"&hub.events=open-imaging-study", FORM)
      + request(b"GET", b"/" + legacy_topic, extra=b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
      + frame(0x1, ack) + frame(0x9, b"p") + close(1000))
write("http", "garbage-request-line", b"GET\r\n\r\n")

# message: sequences for one context store (NUL between messages), and
# subscription forms; the single JSON messages are the spec vectors
write("message", "open-update-select-close", b"\0".join(compact(name) for name in (
    "diagnosticreport-open.json", "diagnosticreport-update-event.json",
    "diagnosticreport-select.json", "diagnosticreport-close.json")))
write("message", "open-then-current-context", compact("diagnosticreport-open.json") + b"\0"
      + compact("get-current-context-response.json"))
write("message", "subscribe-form", subscribe)
write("message", "unsubscribe-form", b"hub.channel.type=websocket&hub.mode=unsubscribe&hub.topic=" + TOPIC
      + b"&hub.channel.endpoint=wss%3A%2F%2Fhub.example.org%2Fws%2F1")

# client: byte 0 = the client's settings (fcm-fuzz-client.c), then what the
# hub sends, one frame per message (NUL between messages)
LEGACY, ACK_202, ACK_409, RESEND, CLOSE_FRAME, LAST_BINARY = 1, 2, 4, 8, 16, 32


def client(name, flags, *messages):
    write("client", name, bytes([flags]) + b"\0".join(messages))


confirmation = compact("subscription-confirmation.json")
client("confirm-open-update-select-close", 0, confirmation, *(compact(name) for name in (
    "diagnosticreport-open-event.json", "diagnosticreport-update-event.json",
    "diagnosticreport-select.json", "diagnosticreport-close.json")))
client("heartbeat-syncerrors-resend", RESEND | CLOSE_FRAME, confirmation, compact("heartbeat.json"),
       compact("syncerror-hub.json"), compact("syncerror-subscriber.json"),
       compact("syncerror-hub-connection.json"))
client("open-acked-202", ACK_202 | ACK_409, confirmation, compact("diagnosticreport-open-event.json"))
client("denial", CLOSE_FRAME, compact("subscription-denial.json"))
client("legacy", LEGACY, compact("proto2019-ws-status.json"), compact("proto2019-notification.json"))
client("binary-last", LAST_BINARY, confirmation, compact("diagnosticreport-open-event.json"))
client("not-fhircast", 0, b"not json", b'{"id":5}', b"[]", compact("websocket-ack.json"),
       compact("get-current-context-response.json"), compact("userlogout.json"),
       compact("userhibernate.json"))

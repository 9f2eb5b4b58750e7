/* test-ws.c: the hub's own WebSocket server side (FcmWsConn), frame by frame
 *
 * A real FcmHub on loopback; subscriptions made over HTTP; then a raw TCP
 * client speaks RFC 6455 by hand, so that it can send what well-behaved
 * client libraries never send: fragments, pings between fragments, unmasked
 * frames, bad UTF-8, bad close frames, lengths over the limit, a dropped
 * connection, and a subscriber that stops reading.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define TOPIC  "ws-test-topic"
#define EVENTS "DiagnosticReport-open,syncerror,x-custom-marker"

typedef struct
{
  FcmHub      *hub;
  SoupSession *session;
  const char  *url;
  GPtrArray   *syncerrors;   /* diagnostics of the hub's syncerror signal */
  GTlsDatabase *tls_db;      /* https/wss: trusts the hub's self-signed certificate */
  char        *cert_dir;
  char        *cert_pem;
  char        *cert_key;
} Fixture;

typedef struct
{
  GSocketConnection *conn;
  GIOStream         *stream;   /* conn, or the TLS connection over it */
  GByteArray        *in;
  gboolean           eof;
  char              *headers;   /* the handshake answer */
} Raw;

typedef struct
{
  guint8  opcode;
  GBytes *payload;
} Frame;

/* ------------------------------------------------------------------------ */
/* fixture and HTTP                                                          */

static void
syncerror_cb (FcmHub     *hub,
              const char *topic,
              const char *diagnostics,
              Fixture    *f)
{
  g_ptr_array_add (f->syncerrors, g_strdup (diagnostics));
}

/* @data: non-NULL for https:// and wss:// */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;

  f->syncerrors = g_ptr_array_new_with_free_func (g_free);
  if (data != NULL)
    {
      cert = fcm_test_make_certificate ("fcm-ws-tls", &f->cert_dir, &f->cert_pem, &f->cert_key);
      if (cert == NULL)
        return;   /* skipped */
      f->tls_db = g_tls_file_database_new (f->cert_pem, &error);
      g_assert_no_error (error);
    }
  f->hub = fcm_hub_new ();
  fcm_hub_set_admin (f->hub, TRUE);
  fcm_hub_set_ack_timeout (f->hub, 60.0);
  g_signal_connect (f->hub, "syncerror", G_CALLBACK (syncerror_cb), f);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, cert, &error));
  g_assert_no_error (error);
  f->url = fcm_hub_get_url (f->hub);
  f->session = soup_session_new_with_options ("tls-database", f->tls_db, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->hub != NULL)
    fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_clear_object (&f->session);
  g_clear_object (&f->tls_db);
  g_ptr_array_unref (f->syncerrors);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->cert_dir != NULL)
    {
      g_unlink (f->cert_pem);
      g_unlink (f->cert_key);
      g_rmdir (f->cert_dir);
    }
  g_free (f->cert_dir);
  g_free (f->cert_pem);
  g_free (f->cert_key);
}

static guint
http (Fixture     *f,
      const char  *method,
      const char  *url,
      const char  *content_type,
      const char  *body,
      char       **out_body)
{
  return fcm_test_http (f->session, method, url, content_type, body, -1, NULL, out_body);
}

/* Subscribes over HTTP; returns the WebSocket endpoint URL. */
static char *
subscribe (Fixture    *f,
           const char *name)
{
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                            "hub.topic", TOPIC, "hub.events", EVENTS,
                                            "subscriber.name", name, NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (http (f, "POST", f->url, "application/x-www-form-urlencoded", form, &body), ==, 202);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_nonnull (root);
  return g_strdup (fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint"));
}

static void
publish_marker (Fixture    *f,
                const char *id,
                gsize       padding)
{
  g_autofree char *blob = g_strnfill (padding, 'x');
  g_autofree char *text = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"%s\",\"event\":"
                                           "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"x-custom-marker\","
                                           "\"context\":[{\"key\":\"blob\",\"resource\":{\"resourceType\":"
                                           "\"Basic\",\"id\":\"b1\",\"text\":\"%s\"}}]}}",
                                           id, blob);

  g_assert_cmpuint (http (f, "POST", f->url, "application/json", text, NULL), ==, 200);
}

/* The admin view of the one subscriber called @name. */
static JsonObject *
admin_subscriber (Fixture    *f,
                  const char *name)
{
  g_autofree char *base = g_strndup (f->url, strlen (f->url) - strlen (FCM_HUB_BASE_PATH));
  g_autofree char *url = g_strconcat (base, "/admin/subscribers", NULL);
  g_autofree char *body = NULL;
  static JsonNode *root;
  JsonArray *subs;

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &body), ==, 200);
  g_clear_pointer (&root, json_node_unref);
  root = fcm_json_parse (body, -1, NULL);
  subs = fcm_json_get_array (json_node_get_object (root), "subscribers");
  for (guint i = 0; subs != NULL && i < json_array_get_length (subs); i++)
    {
      JsonObject *sub = fcm_json_array_get_object (subs, i);

      if (g_strcmp0 (fcm_json_get_string (sub, "name"), name) == 0)
        return sub;
    }
  return NULL;
}

static gint64
acks_pending (Fixture    *f,
              const char *name)
{
  JsonObject *sub = admin_subscriber (f, name);
  gint64 n = -1;

  g_assert_nonnull (sub);
  g_assert_true (fcm_json_get_int (sub, "acksPending", &n));
  return n;
}

static gboolean
has_syncerror (Fixture    *f,
               const char *needle)
{
  for (guint i = 0; i < f->syncerrors->len; i++)
    if (strstr (g_ptr_array_index (f->syncerrors, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* raw client                                                                */

static void
raw_free (Raw *r)
{
  g_clear_object (&r->stream);
  g_clear_object (&r->conn);
  g_byte_array_unref (r->in);
  g_free (r->headers);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->payload, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Frame, frame_clear)

/* Reads whatever the socket has; never blocks. */
static gboolean
raw_pump (Raw *r)
{
  guint8 buf[65536];

  while (!r->eof)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (
          G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (r->stream)), buf, sizeof buf, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          r->eof = TRUE;
          break;
        }
      g_byte_array_append (r->in, buf, n);
    }
  return TRUE;
}

static void
raw_send (Raw        *r,
          const void *data,
          gsize       size)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (r->stream),
                                            data, size, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
raw_has_headers (Raw *r)
{
  raw_pump (r);
  for (guint i = 0; i + 3 < r->in->len; i++)
    if (memcmp (r->in->data + i, "\r\n\r\n", 4) == 0)
      {
        r->headers = g_strndup ((const char *) r->in->data, i + 4);
        g_byte_array_remove_range (r->in, 0, i + 4);
        return TRUE;
      }
  return r->eof;
}

static void
handshake_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* Connects to @endpoint (wss:// through TLS, trusting @tls_db) and sends
 * the handshake (with @extra_headers, each ending in \r\n); waits for the
 * answer's headers. */
static Raw *
raw_connect_full (const char   *endpoint,
                  GTlsDatabase *tls_db,
                  const char   *extra_headers)
{
  g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  Raw *r = g_new0 (Raw, 1);

  g_assert_nonnull (uri);
  r->in = g_byte_array_new ();
  r->conn = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  r->stream = g_object_ref (G_IO_STREAM (r->conn));
  if (g_str_has_prefix (endpoint, "wss://"))
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
      GIOStream *tls = g_tls_client_connection_new (G_IO_STREAM (r->conn), identity, &error);
      gboolean done = FALSE;

      g_assert_no_error (error);
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), tls_db);
      /* the hub answers on this thread's main loop: never block on it */
      g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, NULL, handshake_done_cb, &done);
      FCM_TEST_WAIT_UNTIL (done);
      g_object_unref (r->stream);
      r->stream = tls;
    }
  request = g_strdup_printf ("GET %s HTTP/1.1\r\n"
                             "Host: %s:%d\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "%s\r\n",
                             g_uri_get_path (uri), g_uri_get_host (uri), g_uri_get_port (uri),
                             extra_headers != NULL ? extra_headers : "");
  raw_send (r, request, strlen (request));
  FCM_TEST_WAIT_UNTIL (raw_has_headers (r));
  g_assert_nonnull (r->headers);
  return r;
}

/* Sends one frame: @b0 is the first byte (FIN, RSV, opcode); masked unless
 * @unmasked; @announce overrides the length in the header (the payload
 * sent is still @size bytes). */
static void
raw_send_frame_full (Raw        *r,
                     guint8      b0,
                     gboolean    unmasked,
                     const void *payload,
                     gsize       size,
                     guint64     announce)
{
  static const guint8 mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
  GByteArray *frame = g_byte_array_new ();
  guint8 header[14];
  gsize n = 0;

  header[n++] = b0;
  if (announce < 126)
    header[n++] = (guint8) announce;
  else if (announce <= G_MAXUINT16)
    {
      header[n++] = 126;
      header[n++] = (guint8) (announce >> 8);
      header[n++] = (guint8) announce;
    }
  else
    {
      header[n++] = 127;
      for (int i = 0; i < 8; i++)
        header[n++] = (guint8) (announce >> (56 - 8 * i));
    }
  if (!unmasked)
    {
      header[1] |= 0x80;
      memcpy (header + n, mask, 4);
      n += 4;
    }
  g_byte_array_append (frame, header, n);
  for (gsize i = 0; i < size; i++)
    {
      guint8 c = ((const guint8 *) payload)[i] ^ (unmasked ? 0 : mask[i & 3]);

      g_byte_array_append (frame, &c, 1);
    }
  raw_send (r, frame->data, frame->len);
  g_byte_array_unref (frame);
}

static void
raw_send_frame (Raw        *r,
                guint8      b0,
                const char *payload)
{
  raw_send_frame_full (r, b0, FALSE, payload, strlen (payload), strlen (payload));
}

/* A complete frame at the front of the buffer, if there is one. Server
 * frames must be unmasked and final (the hub never fragments). */
static gboolean
raw_take_frame (Raw   *r,
                Frame *out)
{
  const guint8 *p = r->in->data;
  guint64 size;
  gsize header = 2;

  if (r->in->len < 2)
    return FALSE;
  g_assert_cmpuint (p[0] & 0x80, ==, 0x80);
  g_assert_cmpuint (p[0] & 0x70, ==, 0);
  g_assert_cmpuint (p[1] & 0x80, ==, 0);
  size = p[1] & 0x7f;
  if (size == 126)
    {
      if (r->in->len < 4)
        return FALSE;
      size = (guint64) p[2] << 8 | p[3];
      header = 4;
    }
  else if (size == 127)
    {
      if (r->in->len < 10)
        return FALSE;
      size = 0;
      for (int i = 0; i < 8; i++)
        size = size << 8 | p[2 + i];
      header = 10;
    }
  if (r->in->len < header + size)
    return FALSE;
  out->opcode = p[0] & 0x0f;
  out->payload = g_bytes_new (p + header, size);
  g_byte_array_remove_range (r->in, 0, header + size);
  return TRUE;
}

static gboolean
raw_poll_frame (Raw   *r,
                Frame *out)
{
  raw_pump (r);
  return raw_take_frame (r, out) || r->eof;
}

/* Waits for the next frame; fails the test on EOF. */
static void
raw_next_frame (Raw   *r,
                Frame *out)
{
  out->payload = NULL;
  FCM_TEST_WAIT_UNTIL (raw_poll_frame (r, out));
  g_assert_nonnull (out->payload);
}

static JsonNode *
frame_json (Frame *frame)
{
  gsize size;
  const char *data = g_bytes_get_data (frame->payload, &size);
  JsonNode *root;

  g_assert_cmpuint (frame->opcode, ==, 0x1);
  root = fcm_json_parse (data, size, NULL);
  g_assert_nonnull (root);
  return root;
}

/* Reads frames until a close frame; returns its code (0 = none). Then the
 * hub must close the TCP connection. */
static gushort
raw_expect_close (Raw   *r,
                  char **out_reason)
{
  for (;;)
    {
      g_auto(Frame) frame = { 0 };
      gsize size;
      const guint8 *p;

      raw_next_frame (r, &frame);
      if (frame.opcode != 0x8)
        continue;
      p = g_bytes_get_data (frame.payload, &size);
      if (out_reason != NULL)
        *out_reason = size > 2 ? g_strndup ((const char *) p + 2, size - 2) : NULL;
      FCM_TEST_WAIT_UNTIL (raw_pump (r) && r->eof);
      return size >= 2 ? (gushort) (p[0] << 8 | p[1]) : 0;
    }
}

static Raw *
raw_connect (Fixture    *f,
             const char *endpoint,
             const char *extra_headers)
{
  return raw_connect_full (endpoint, f->tls_db, extra_headers);
}

static Raw *
raw_subscribe (Fixture    *f,
               const char *name)
{
  g_autofree char *endpoint = subscribe (f, name);
  Raw *r = raw_connect (f, endpoint, NULL);
  g_auto(Frame) confirmation = { 0 };
  g_autoptr(JsonNode) root = NULL;

  g_assert_true (g_str_has_prefix (r->headers, "HTTP/1.1 101"));
  raw_next_frame (r, &confirmation);
  root = frame_json (&confirmation);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "hub.mode"), ==, "subscribe");
  return r;
}

/* ------------------------------------------------------------------------ */
/* tests                                                                     */

/* RFC 6455 §4.2.2: the accept key; no extension is accepted, even when the
 * client offers permessage-deflate (as the `ws` npm package does). */
static void
test_handshake (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *endpoint = subscribe (f, "Handshake");
  g_autoptr(Raw) r = raw_connect (f, endpoint, "Sec-WebSocket-Extensions: permessage-deflate; "
                                            "client_max_window_bits\r\n");
  g_autofree char *lower = g_ascii_strdown (r->headers, -1);
  g_auto(Frame) confirmation = { 0 };
  g_autoptr(JsonNode) root = NULL;

  if (f->hub == NULL)
    return;   /* no TLS here: skipped */
  g_assert_true (g_str_has_prefix (r->headers, "HTTP/1.1 101"));
  /* the RFC's own example key and answer */
  g_assert_nonnull (strstr (r->headers, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
  g_assert_null (strstr (lower, "sec-websocket-extensions"));

  raw_next_frame (r, &confirmation);
  root = frame_json (&confirmation);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "hub.mode"), ==, "subscribe");
}

/* A plain GET on a live endpoint is not an upgrade: 400, and the
 * subscription is untouched. */
static void
test_not_an_upgrade (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *endpoint = subscribe (f, "Plain");
  g_autofree char *url = g_strconcat ("http://", endpoint + strlen ("ws://"), NULL);

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 400);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* An ack in three fragments, with a ping between them: the ping is
 * answered with its payload, and the ack counts (C-28, H-32). */
static void
test_fragmented_ack (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) r = raw_subscribe (f, "Fragments");
  g_auto(Frame) event = { 0 };
  g_auto(Frame) pong = { 0 };

  if (f->hub == NULL)
    return;   /* no TLS here: skipped */
  publish_marker (f, "frag-1", 10);
  raw_next_frame (r, &event);
  {
    g_autoptr(JsonNode) root = frame_json (&event);

    g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "id"), ==, "frag-1");
  }
  g_assert_cmpint (acks_pending (f, "Fragments"), ==, 1);

  raw_send_frame (r, 0x01, "{\"id\":\"fr");          /* text, not final */
  raw_send_frame (r, 0x89, "are you there?");        /* ping */
  raw_send_frame (r, 0x00, "ag-1\",\"sta");           /* continuation */
  raw_send_frame (r, 0x80, "tus\":200}");             /* continuation, final */

  raw_next_frame (r, &pong);
  g_assert_cmpuint (pong.opcode, ==, 0xA);
  g_assert_cmpmem (g_bytes_get_data (pong.payload, NULL), g_bytes_get_size (pong.payload),
                   "are you there?", strlen ("are you there?"));
  FCM_TEST_WAIT_UNTIL (acks_pending (f, "Fragments") == 0);
  g_assert_cmpuint (f->syncerrors->len, ==, 0);
}

typedef struct
{
  const char *name;
  guint8      b0;
  gboolean    unmasked;
  const char *payload;
  gsize       size;
  guint64     announce;
  gushort     code;
} Bad;

/* Protocol errors close the socket with the RFC's code; the hub treats that
 * as an abnormal close (H-35): syncerror, subscriber removed. */
static void
test_protocol_errors (Fixture       *f,
                      gconstpointer  data)
{
  static const Bad cases[] = {
    { "Unmasked", 0x81, TRUE, "{}", 2, 2, 1002 },
    { "Reserved", 0xC1, FALSE, "{}", 2, 2, 1002 },
    { "Opcode3", 0x83, FALSE, "{}", 2, 2, 1002 },
    { "Opcode11", 0x8B, FALSE, "", 0, 0, 1002 },
    { "LoneContinuation", 0x80, FALSE, "{}", 2, 2, 1002 },
    { "FragmentedPing", 0x09, FALSE, "x", 1, 1, 1002 },
    { "BadUtf8", 0x81, FALSE, "{\"id\":\"\xc3\x28\"}", 11, 11, 1007 },
    { "ShortClose", 0x88, FALSE, "\x03", 1, 1, 1002 },
    { "BadCloseCode", 0x88, FALSE, "\x03\xed", 2, 2, 1002 },   /* 1005 may not be sent */
    { "TooBig", 0x81, FALSE, "", 0, FCM_HUB_MAX_MESSAGE_BYTES + 1, 1009 },
  };

  if (f->hub == NULL)
    return;   /* no TLS here: skipped */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Bad *bad = &cases[i];
      g_autoptr(Raw) r = raw_subscribe (f, bad->name);
      g_autofree char *needle = g_strdup_printf ("%s lost its WebSocket connection (close code %u)",
                                                 bad->name, bad->code);

      g_test_message ("%s", bad->name);
      raw_send_frame_full (r, bad->b0, bad->unmasked, bad->payload, bad->size, bad->announce);
      g_assert_cmpuint (raw_expect_close (r, NULL), ==, bad->code);
      FCM_TEST_WAIT_UNTIL (has_syncerror (f, needle));
      g_assert_null (admin_subscriber (f, bad->name));
    }
}

/* A close with 1000 is answered with 1000 and keeps the subscription
 * (H-35); 4000 is answered too, but is a syncerror. */
static void
test_close_handshake (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Raw) polite = raw_subscribe (f, "Polite");
  g_autoptr(Raw) rude = raw_subscribe (f, "Rude");
  g_autofree char *reason = NULL;

  if (f->hub == NULL)
    return;   /* no TLS here: skipped */
  raw_send_frame (polite, 0x88, "\x03\xe8" "done");
  g_assert_cmpuint (raw_expect_close (polite, NULL), ==, 1000);
  g_assert_nonnull (admin_subscriber (f, "Polite"));

  raw_send_frame (rude, 0x88, "\x0f\xa0" "bye");
  g_assert_cmpuint (raw_expect_close (rude, &reason), ==, 4000);
  FCM_TEST_WAIT_UNTIL (has_syncerror (f, "Rude lost its WebSocket connection (close code 4000)"));
  g_assert_false (has_syncerror (f, "Polite"));
}

/* A close frame with no code is 1005 (RFC 6455 §7.1.5): not a clean
 * 1000/1001, so a syncerror. */
static void
test_close_without_code (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Raw) r = raw_subscribe (f, "NoCode");

  raw_send_frame (r, 0x88, "");
  g_assert_cmpuint (raw_expect_close (r, NULL), ==, 0);
  FCM_TEST_WAIT_UNTIL (has_syncerror (f, "NoCode lost its WebSocket connection (close code 1005)"));
}

/* The TCP connection just goes: 1006, syncerror, removed (H-35, IRA). */
static void
test_dropped_connection (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Raw) r = raw_subscribe (f, "Dropper");

  g_assert_true (g_io_stream_close (G_IO_STREAM (r->conn), NULL, NULL));
  FCM_TEST_WAIT_UNTIL (has_syncerror (f, "Dropper lost its WebSocket connection (close code 1006)"));
  FCM_TEST_WAIT_UNTIL (admin_subscriber (f, "Dropper") == NULL);
}

/* The hub closes (admin fault): the client gets the code and reason. */
static void
test_hub_close (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Raw) r = raw_subscribe (f, "Closed");
  const char *endpoint = fcm_json_get_string (admin_subscriber (f, "Closed"), "endpoint");
  g_autofree char *id = g_path_get_basename (endpoint);
  g_autofree char *base = g_strndup (f->url, strlen (f->url) - strlen (FCM_HUB_BASE_PATH));
  g_autofree char *url = g_strdup_printf ("%s/admin/subscribers/%s/close?code=4001&reason=testing",
                                          base, id);
  g_autofree char *reason = NULL;
  g_auto(Frame) frame = { 0 };

  g_assert_cmpuint (http (f, "POST", url, "text/plain", "", NULL), ==, 200);
  raw_next_frame (r, &frame);
  g_assert_cmpuint (frame.opcode, ==, 0x8);
  g_assert_cmpmem (g_bytes_get_data (frame.payload, NULL), g_bytes_get_size (frame.payload),
                   "\x0f\xa1testing", 9);
  /* our answer completes the handshake; the hub then closes the TCP side */
  raw_send_frame (r, 0x88, "\x0f\xa1");
  FCM_TEST_WAIT_UNTIL (raw_pump (r) && r->eof);
  g_assert_nonnull (admin_subscriber (f, "Closed"));   /* the endpoint stays valid */
}

/* Frames wait for the next main-loop turn, but a close does not: a hub
 * shutting down (1001) has sent it when fcm_hub_shutdown() returns, as a
 * hub process leaves its main loop right after. */
static void
test_shutdown_close (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) r = raw_subscribe (f, "Leaving");
  GSocket *socket = g_socket_connection_get_socket (r->conn);
  g_auto(Frame) frame = { 0 };

  fcm_hub_shutdown (f->hub);
  /* no main-loop turn from here on: only what was written at once arrives */
  while (!raw_take_frame (r, &frame))
    {
      g_assert_false (r->eof);
      g_assert_true (g_socket_condition_timed_wait (socket, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, NULL));
      raw_pump (r);
    }
  g_assert_cmpuint (frame.opcode, ==, 0x8);
  g_assert_cmpuint (g_bytes_get_size (frame.payload), >=, 2);
  g_assert_cmpmem (g_bytes_get_data (frame.payload, NULL), 2, "\x03\xe9", 2);   /* 1001 */
}

/* A subscriber that stops reading: the hub queues (several MB, more than
 * the socket buffers hold) and delivers everything, in order, once it
 * reads again; the other subscriber is not held up. Up to the cap on a
 * subscriber's unsent notifications (4 MiB by default, 16 MiB here; past
 * it the subscriber is dropped, tests/faults/faults-slow.c). */
static void
test_backpressure (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) slow = raw_subscribe (f, "Slow");
  g_autoptr(Raw) fast = raw_subscribe (f, "Fast");
  const guint n = 120;
  guint got = 0;

  if (f->hub == NULL)
    return;   /* no TLS here: skipped */
  /* nobody acks here, and under valgrind this takes longer than any ack
   * timeout: no ack tracking (else H-34 would unsubscribe them) */
  fcm_hub_set_ack_timeout (f->hub, 0);
  fcm_hub_set_max_queued_bytes (f->hub, 16 * 1024 * 1024);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("bp-%u", i);

      publish_marker (f, id, 64 * 1024);
      /* the fast one keeps up */
      for (;;)
        {
          g_auto(Frame) frame = { 0 };
          g_autoptr(JsonNode) root = NULL;

          raw_next_frame (fast, &frame);
          root = frame_json (&frame);
          if (g_strcmp0 (fcm_json_get_string (json_node_get_object (root), "id"), id) == 0)
            break;
        }
    }

  while (got < n)
    {
      g_auto(Frame) frame = { 0 };
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *id = g_strdup_printf ("bp-%u", got);

      raw_next_frame (slow, &frame);
      root = frame_json (&frame);
      g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "id"), ==, id);
      got++;
    }
  g_assert_cmpuint (f->syncerrors->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/ws/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("handshake", test_handshake);
  ADD ("not-an-upgrade", test_not_an_upgrade);
  ADD ("shutdown-close", test_shutdown_close);
  ADD ("fragmented-ack", test_fragmented_ack);
  ADD ("protocol-errors", test_protocol_errors);
  ADD ("close-handshake", test_close_handshake);
  ADD ("close-without-code", test_close_without_code);
  ADD ("dropped-connection", test_dropped_connection);
  ADD ("hub-close", test_hub_close);
  ADD ("backpressure", test_backpressure);
#undef ADD
  /* the same over wss:// (the hub's connection is then a GTlsConnection) */
#define ADD_TLS(path, fn) g_test_add ("/fcm/ws/tls/" path, Fixture, "tls", fixture_setup, fn, fixture_teardown)
  ADD_TLS ("handshake", test_handshake);
  ADD_TLS ("fragmented-ack", test_fragmented_ack);
  ADD_TLS ("protocol-errors", test_protocol_errors);
  ADD_TLS ("close-handshake", test_close_handshake);
  /* 7.5 MB through TLS: 10 s here, but about 4 minutes under `make
   * check-asan`, where every malloc in GnuTLS unwinds its stack; the valgrind
   * pass (run-tests.sh) still checks this one for leaks. */
  if (g_getenv ("FCM_TEST_ASAN") == NULL)
    ADD_TLS ("backpressure", test_backpressure);
#undef ADD_TLS

  return g_test_run ();
}

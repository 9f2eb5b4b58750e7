/* test-atna.c: the hub's IHE ATNA audit messages over syslog (H-40)
 *
 * Real syslog collectors on loopback (a UDP socket, a TCP listener, and a
 * TLS listener that requires a client certificate, IHE ATNA node
 * authentication) in this process; a real FcmHub; subscribe, Get Current Context and unsubscribe
 * over HTTP; each message is parsed: the RFC 5424 header, then the DICOM
 * audit XML with GMarkup.
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

#define TOPIC "atna-test-topic"

typedef struct
{
  FcmHub         *hub;
  SoupSession    *session;
  const char     *url;
  GSocket        *udp;
  GSocketListener *listener;
  GSocketConnection *tcp;
  GByteArray     *tcp_in;
  GPtrArray      *messages;   /* char*, the syslog messages received */
  guint16         port;
} Fixture;

/* ------------------------------------------------------------------------ */
/* collectors                                                                */

static gboolean
udp_pump (Fixture *f)
{
  char buf[65536];

  for (;;)
    {
      gssize n = g_socket_receive_with_blocking (f->udp, buf, sizeof buf, FALSE, NULL, NULL);

      if (n <= 0)
        break;
      g_ptr_array_add (f->messages, g_strndup (buf, n));
    }
  return TRUE;
}

/* Octet counting (RFC 6587 §3.4.1): "LEN SP MSG". */
static gboolean
tcp_pump (Fixture *f)
{
  char buf[65536];

  if (f->tcp == NULL)
    return TRUE;
  for (;;)
    {
      gssize n = g_socket_receive_with_blocking (g_socket_connection_get_socket (f->tcp), buf, sizeof buf,
                                                 FALSE, NULL, NULL);

      if (n <= 0)
        break;
      g_byte_array_append (f->tcp_in, (const guint8 *) buf, n);
    }
  for (;;)
    {
      const char *data = (const char *) f->tcp_in->data;
      const char *space = memchr (data, ' ', f->tcp_in->len);
      g_autofree char *count = NULL;
      guint64 len;
      gsize header;

      if (space == NULL)
        break;
      count = g_strndup (data, space - data);
      g_assert_true (g_ascii_string_to_unsigned (count, 10, 1, 1 << 20, &len, NULL));
      header = space - data + 1;
      if (f->tcp_in->len < header + len)
        break;
      g_ptr_array_add (f->messages, g_strndup (data + header, len));
      g_byte_array_remove_range (f->tcp_in, 0, header + len);
    }
  return TRUE;
}

static void
accepted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Fixture *f = data;

  f->tcp = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, NULL);
}

static void
fixture_setup_common (Fixture    *f,
                      const char *syslog_url)
{
  g_autoptr(GError) error = NULL;

  f->messages = g_ptr_array_new_with_free_func (g_free);
  f->tcp_in = g_byte_array_new ();
  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_set_audit_syslog (f->hub, syslog_url, &error));
  g_assert_no_error (error);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->url = fcm_hub_get_url (f->hub);
  f->session = soup_session_new ();
}

static void
fixture_setup_udp (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *url = NULL;

  f->udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (f->udp, any, FALSE, &error));
  local = g_socket_get_local_address (f->udp, &error);
  g_assert_no_error (error);
  f->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  url = g_strdup_printf ("udp://127.0.0.1:%u", f->port);
  fixture_setup_common (f, url);
}

static void
fixture_setup_tcp (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->listener = g_socket_listener_new ();
  f->port = g_socket_listener_add_any_inet_port (f->listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (f->listener, NULL, accepted_cb, f);
  url = g_strdup_printf ("tcp://127.0.0.1:%u", f->port);
  fixture_setup_common (f, url);
}

/* A collector that is not there: a port that was free a moment ago. */
static void
fixture_setup_down (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocketListener) probe = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (probe, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (probe);
  url = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  fixture_setup_common (f, url);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_clear_object (&f->session);
  g_clear_object (&f->udp);
  if (f->listener != NULL)
    g_socket_listener_close (f->listener);
  g_clear_object (&f->listener);
  g_clear_object (&f->tcp);
  g_byte_array_unref (f->tcp_in);
  g_ptr_array_unref (f->messages);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------ */
/* hub requests                                                              */

static guint
form (Fixture     *f,
      const char  *mode,
      const char  *name,
      const char  *endpoint,
      char       **out_body)
{
  g_autofree char *body = NULL;

  if (endpoint != NULL)
    body = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", mode, "hub.topic", TOPIC,
                             "hub.channel.endpoint", endpoint, NULL);
  else
    body = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", mode, "hub.topic", TOPIC,
                             "hub.events", "DiagnosticReport-open,syncerror", "subscriber.name", name, NULL);
  return fcm_test_http (f->session, "POST", f->url, "application/x-www-form-urlencoded", body, -1, NULL,
                        out_body);
}

static char *
endpoint_of (const char *body)
{
  g_autoptr(JsonNode) root = fcm_json_parse (body, -1, NULL);

  g_assert_nonnull (root);
  return g_strdup (fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint"));
}

/* ------------------------------------------------------------------------ */
/* the audit message                                                         */

typedef struct
{
  GHashTable *attrs;      /* "Element@attribute" → value (the first one) */
  GString    *query;      /* ParticipantObjectQuery text */
  gboolean    in_query;
  guint       n_participants;
} Audit;

static void
start_cb (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              data,
          GError              **error)
{
  Audit *a = data;

  if (g_str_equal (element, "ActiveParticipant"))
    a->n_participants++;
  a->in_query = g_str_equal (element, "ParticipantObjectQuery");
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s@%s", element, names[i]);

      if (!g_hash_table_contains (a->attrs, key))
        g_hash_table_insert (a->attrs, g_steal_pointer (&key), g_strdup (values[i]));
    }
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 size,
         gpointer              data,
         GError              **error)
{
  Audit *a = data;

  if (a->in_query)
    g_string_append_len (a->query, text, size);
}

static void
end_cb (GMarkupParseContext  *context,
        const char           *element,
        gpointer              data,
        GError              **error)
{
  ((Audit *) data)->in_query = FALSE;
}

static void
audit_clear (Audit *a)
{
  g_clear_pointer (&a->attrs, g_hash_table_unref);
  if (a->query != NULL)
    g_string_free (a->query, TRUE);
  a->query = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Audit, audit_clear)

/* Checks the RFC 5424 header and parses the XML after it. */
static void
audit_parse (const char *message,
             Audit      *a)
{
  static const GMarkupParser parser = { start_cb, end_cb, text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = g_strsplit (message, " ", 8);
  const char *xml;

  g_assert_cmpuint (g_strv_length (parts), ==, 8);
  g_assert_cmpstr (parts[0], ==, "<85>1");                 /* PRI (authpriv.notice), VERSION */
  g_assert_true (g_str_has_suffix (parts[1], "Z"));         /* TIMESTAMP, UTC */
  g_assert_cmpstr (parts[2], ==, g_get_host_name ());
  g_assert_cmpstr (parts[3], ==, "fhircast-hub");
  g_assert_cmpstr (parts[5], ==, "IHE+RFC-3881");          /* MSGID */
  g_assert_cmpstr (parts[6], ==, "-");                     /* no structured data */
  xml = parts[7];
  g_assert_true (g_str_has_prefix (xml, "<?xml"));
  xml = strstr (xml, "?>") + 2;

  a->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  a->query = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, 0, a, NULL);
  g_assert_true (g_markup_parse_context_parse (context, xml, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
}

static const char *
attr (Audit      *a,
      const char *key)
{
  return g_hash_table_lookup (a->attrs, key);
}

static char *
decoded_query (Audit *a)
{
  gsize size;
  g_autofree guchar *data = g_base64_decode (a->query->str, &size);

  return g_strndup ((const char *) data, size);
}

static void
assert_query_event (Audit      *a,
                    const char *transaction,
                    const char *outcome)
{
  g_assert_cmpstr (attr (a, "EventIdentification@EventActionCode"), ==, "E");
  g_assert_cmpstr (attr (a, "EventIdentification@EventOutcomeIndicator"), ==, outcome);
  g_assert_cmpstr (attr (a, "EventID@csd-code"), ==, "110112");
  g_assert_cmpstr (attr (a, "EventID@codeSystemName"), ==, "DCM");
  g_assert_cmpstr (attr (a, "EventTypeCode@csd-code"), ==, transaction);
  g_assert_cmpstr (attr (a, "EventTypeCode@codeSystemName"), ==, "IHE Transactions");
  g_assert_cmpuint (a->n_participants, ==, 2);
  g_assert_cmpstr (attr (a, "ActiveParticipant@UserIsRequestor"), ==, "true");
  g_assert_cmpstr (attr (a, "ActiveParticipant@NetworkAccessPointID"), ==, "127.0.0.1");
  g_assert_cmpstr (attr (a, "RoleIDCode@csd-code"), ==, "110153");
  g_assert_nonnull (attr (a, "AuditSourceIdentification@AuditSourceID"));
  g_assert_cmpstr (attr (a, "ParticipantObjectIdentification@ParticipantObjectID"), ==, TOPIC);
  g_assert_cmpstr (attr (a, "ParticipantObjectIdentification@ParticipantObjectTypeCode"), ==, "2");
  g_assert_cmpstr (attr (a, "ParticipantObjectIdentification@ParticipantObjectTypeCodeRole"), ==, "24");
  g_assert_cmpstr (attr (a, "ParticipantObjectIDTypeCode@csd-code"), ==, transaction);
}

/* ------------------------------------------------------------------------ */
/* tests                                                                     */

static void
run_session (Fixture *f,
             gboolean (*pump) (Fixture *f))
{
  g_autofree char *body = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *get_url = g_strconcat (f->url, "/", TOPIC, NULL);
  const char *id;

  g_assert_cmpuint (form (f, "subscribe", "Viewer", NULL, &body), ==, 202);
  endpoint = endpoint_of (body);
  id = strrchr (endpoint, '/') + 1;
  g_assert_cmpuint (fcm_test_http (f->session, "GET", get_url, NULL, NULL, -1, NULL, NULL), ==, 200);
  g_assert_cmpuint (form (f, "unsubscribe", NULL, endpoint, NULL), ==, 202);
  /* a refused subscribe (IRA: empty subscriber.name → 400) */
  g_assert_cmpuint (form (f, "subscribe", "", NULL, NULL), ==, 400);

  FCM_TEST_WAIT_UNTIL (pump (f) && f->messages->len >= 4);
  g_assert_cmpuint (f->messages->len, ==, 4);

  {
    g_auto(Audit) a = { NULL, };
    g_autofree char *query = NULL;

    audit_parse (g_ptr_array_index (f->messages, 0), &a);
    assert_query_event (&a, "RAD-146", "0");
    g_assert_cmpstr (attr (&a, "ActiveParticipant@UserID"), ==, "Viewer");
    query = decoded_query (&a);
    g_assert_nonnull (strstr (query, "hub.mode=subscribe"));
    g_assert_nonnull (strstr (query, "hub.events=DiagnosticReport-open%2Csyncerror"));
  }
  {
    g_auto(Audit) a = { NULL, };
    g_autofree char *query = NULL;

    audit_parse (g_ptr_array_index (f->messages, 1), &a);
    assert_query_event (&a, "RAD-153", "0");
    query = decoded_query (&a);
    g_assert_true (g_str_has_prefix (query, "GET "));
    g_assert_true (g_str_has_suffix (query, "/" TOPIC));
  }
  {
    g_auto(Audit) a = { NULL, };
    g_autofree char *query = NULL;

    audit_parse (g_ptr_array_index (f->messages, 2), &a);
    assert_query_event (&a, "RAD-152", "0");
    query = decoded_query (&a);
    g_assert_nonnull (strstr (query, "hub.mode=unsubscribe"));
  }
  {
    g_auto(Audit) a = { NULL, };

    audit_parse (g_ptr_array_index (f->messages, 3), &a);
    assert_query_event (&a, "RAD-146", "4");
  }
  /* the endpoint id is a bearer ticket (H-02): never in the audit */
  for (guint i = 0; i < f->messages->len; i++)
    {
      const char *message = g_ptr_array_index (f->messages, i);

      g_assert_null (strstr (message, id));
    }
}

static void
test_udp (Fixture       *f,
          gconstpointer  data)
{
  run_session (f, udp_pump);
}

static void
test_tcp (Fixture       *f,
          gconstpointer  data)
{
  run_session (f, tcp_pump);
  /* one connection, kept */
  g_assert_nonnull (f->tcp);
  g_assert_cmpuint (fcm_hub_get_audit_pending (f->hub), ==, 0);
}

/* Nobody listens: the messages are dropped and said (g_message), nothing
 * waits forever, the hub answers as usual. */
static void
test_collector_down (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *get_url = g_strconcat (f->url, "/", TOPIC, NULL);

  g_assert_cmpuint (form (f, "subscribe", "Viewer", NULL, NULL), ==, 202);
  g_assert_cmpuint (fcm_test_http (f->session, "GET", get_url, NULL, NULL, -1, NULL, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_audit_pending (f->hub) == 0);
}

static void
test_bad_urls (void)
{
  static const char * const bad[] = {
    "http://127.0.0.1:514", "udp://collector.example.org", "tcp://", "not a url", "udp:///514",
  };
  g_autoptr(FcmHub) hub = fcm_hub_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (fcm_hub_set_audit_syslog (hub, bad[i], &error));
      g_assert_nonnull (error);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (fcm_hub_set_audit_syslog (hub, "udp://[::1]:5514", &error));
    g_assert_true (fcm_hub_set_audit_syslog (hub, "tls://collector.example.org", &error));
    g_assert_true (fcm_hub_set_audit_syslog (hub, NULL, &error));
    g_assert_no_error (error);
  }
}

/* ------------------------------------------------------------------------ */
/* mutual TLS (issue 14.11)                                                  */

/* A tls:// collector that requires a client certificate (RFC 5425 with IHE
 * ATNA node authentication): it records the certificate the hub presented
 * and the messages that came. */
typedef struct
{
  GSocketListener    *listener;
  GTlsCertificate    *certificate;
  GIOStream          *tls;
  GTlsCertificate    *peer;
  GByteArray         *in;
  GPtrArray          *messages;
  gboolean            handshake_failed;
  guint8              buffer[16384];
} TlsCollector;

static gboolean
tls_accept_any_cb (GTlsConnection       *connection,
                   GTlsCertificate      *peer,
                   GTlsCertificateFlags  errors,
                   TlsCollector         *c)
{
  g_set_object (&c->peer, peer);
  return TRUE;   /* self-signed for the test; what counts is that there is one */
}

static void tls_read (TlsCollector *c);

static void
tls_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  TlsCollector *c = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    return;
  g_byte_array_append (c->in, c->buffer, (guint) n);
  /* octet counting: "LEN SP MSG" */
  for (;;)
    {
      const char *space = memchr (c->in->data, ' ', c->in->len);
      guint64 len = 0;
      g_autofree char *count = NULL;
      gsize header;

      if (space == NULL)
        break;
      count = g_strndup ((const char *) c->in->data, space - (const char *) c->in->data);
      g_assert_true (g_ascii_string_to_unsigned (count, 10, 1, 1 << 20, &len, NULL));
      header = space - (const char *) c->in->data + 1;
      if (c->in->len < header + len)
        break;
      g_ptr_array_add (c->messages, g_strndup ((const char *) c->in->data + header, len));
      g_byte_array_remove_range (c->in, 0, header + len);
    }
  tls_read (c);
}

static void
tls_read (TlsCollector *c)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (c->tls), c->buffer, sizeof c->buffer,
                             G_PRIORITY_DEFAULT, NULL, tls_read_cb, c);
}

static void
tls_handshake_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  TlsCollector *c = data;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_test_message ("collector: handshake failed: %s", error->message);
      c->handshake_failed = TRUE;
      return;
    }
  tls_read (c);
}

static void
tls_accepted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  TlsCollector *c = data;
  g_autoptr(GSocketConnection) connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result,
                                                                             NULL, NULL);
  g_autoptr(GError) error = NULL;

  if (connection == NULL)
    return;
  c->tls = g_tls_server_connection_new (G_IO_STREAM (connection), c->certificate, &error);
  g_assert_no_error (error);
  g_object_set (c->tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
  g_signal_connect (c->tls, "accept-certificate", G_CALLBACK (tls_accept_any_cb), c);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (c->tls), G_PRIORITY_DEFAULT, NULL, tls_handshake_cb, c);
}

static void
atna_tls_run (gboolean with_client_certificate)
{
  g_autoptr(GTlsCertificate) server_cert = NULL;
  g_autoptr(GTlsCertificate) client_cert = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  g_autoptr(FcmHub) hub = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_dir = NULL, *server_pem = NULL, *server_key = NULL;
  g_autofree char *client_dir = NULL, *client_pem = NULL, *client_key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  TlsCollector c = { NULL, };
  guint16 port;

  if (!(server_cert = fcm_test_make_certificate ("fcm-atna-server", &server_dir, &server_pem, &server_key)) ||
      !(client_cert = fcm_test_make_certificate ("fcm-atna-client", &client_dir, &client_pem, &client_key)))
    return;
  c.certificate = server_cert;
  c.in = g_byte_array_new ();
  c.messages = g_ptr_array_new_with_free_func (g_free);
  c.listener = g_socket_listener_new ();
  port = g_socket_listener_add_any_inet_port (c.listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (c.listener, NULL, tls_accepted_cb, &c);

  hub = fcm_hub_new ();
  url = g_strdup_printf ("tls://127.0.0.1:%u", port);
  g_assert_true (fcm_hub_set_audit_syslog (hub, url, &error));
  trust = g_tls_file_database_new (server_pem, &error);
  g_assert_no_error (error);
  g_assert_true (fcm_hub_set_audit_syslog_tls (hub, with_client_certificate ? client_cert : NULL, trust, &error));
  g_assert_no_error (error);
  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  session = soup_session_new ();
  body = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", TOPIC,
                           "hub.events", "syncerror", NULL);
  g_assert_cmpuint (fcm_test_http (session, "POST", fcm_hub_get_url (hub), "application/x-www-form-urlencoded",
                                   body, -1, NULL, NULL), ==, 202);

  if (with_client_certificate)
    {
      FCM_TEST_WAIT_UNTIL (c.messages->len == 1);
      g_assert_nonnull (strstr (g_ptr_array_index (c.messages, 0), "<EventTypeCode csd-code=\"RAD-146\""));
      /* the collector saw the hub's own certificate */
      g_assert_nonnull (c.peer);
      g_assert_true (g_tls_certificate_is_same (c.peer, client_cert));
    }
  else
    {
      /* no certificate, no audit trail: the collector refuses the handshake */
      FCM_TEST_WAIT_UNTIL (c.handshake_failed && fcm_hub_get_audit_pending (hub) == 0);
      g_assert_cmpuint (c.messages->len, ==, 0);
      g_assert_null (c.peer);
    }

  fcm_hub_shutdown (hub);
  g_clear_object (&hub);
  g_socket_listener_close (c.listener);
  g_clear_object (&c.listener);
  if (c.tls != NULL)
    g_io_stream_close (c.tls, NULL, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&c.tls);
  g_clear_object (&c.peer);
  g_byte_array_unref (c.in);
  g_ptr_array_unref (c.messages);
  for (const char *const *path = (const char *const[]) { server_pem, server_key, client_pem, client_key, NULL };
       *path != NULL; path++)
    g_assert_cmpint (g_unlink (*path), ==, 0);
  g_assert_cmpint (g_rmdir (server_dir), ==, 0);
  g_assert_cmpint (g_rmdir (client_dir), ==, 0);
}

/* IHE ATNA node authentication over tls://: the hub presents its client
 * certificate to a collector that requires one (issue 14.11). */
static void
test_tls_client_certificate (void)
{
  atna_tls_run (TRUE);
}

/* The same collector without a client certificate from the hub: refused. */
static void
test_tls_no_client_certificate (void)
{
  atna_tls_run (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fcm/hub/atna/udp", Fixture, NULL, fixture_setup_udp, test_udp, fixture_teardown);
  g_test_add ("/fcm/hub/atna/tcp", Fixture, NULL, fixture_setup_tcp, test_tcp, fixture_teardown);
  g_test_add ("/fcm/hub/atna/collector-down", Fixture, NULL, fixture_setup_down, test_collector_down,
              fixture_teardown);
  g_test_add_func ("/fcm/hub/atna/bad-urls", test_bad_urls);
  g_test_add_func ("/fcm/hub/atna/tls-client-certificate", test_tls_client_certificate);
  g_test_add_func ("/fcm/hub/atna/tls-no-client-certificate", test_tls_no_client_certificate);

  return g_test_run ();
}

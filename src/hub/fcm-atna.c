/* fcm-atna.c: IHE ATNA audit messages (DICOM PS3.15 A.5) over syslog
 *
 * See fcm-atna-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <unistd.h>

#include "fcm-atna-private.h"

#define MAX_QUEUED 1000
#define SYSLOG_PRI 85            /* facility 10 (security/authorization), severity 5 (notice) */
#define SYSLOG_MSGID "IHE+RFC-3881"

/* ------------------------------------------------------------------------ */
/* the audit message                                                         */

static void
append_code (GString    *out,
             const char *element,
             const char *code,
             const char *system,
             const char *text)
{
  g_autofree char *c = g_markup_escape_text (code, -1);
  g_autofree char *s = g_markup_escape_text (system, -1);
  g_autofree char *t = g_markup_escape_text (text, -1);

  g_string_append_printf (out, "<%s csd-code=\"%s\" codeSystemName=\"%s\" originalText=\"%s\"/>",
                          element, c, s, t);
}

/* EventOutcomeIndicator: 0 success, 4 minor failure (the request was
 * refused), 8 serious failure (the hub failed). */
static int
outcome_indicator (guint status)
{
  if (status >= 200 && status < 300)
    return 0;
  if (status >= 500 || status == 0)
    return 8;
  return 4;
}

/**
 * fcm_atna_format:
 *
 * One DICOM audit message (PS3.15 A.5.1) for a Query Information trigger
 * event (EventID 110112 "Query", action E, the IHE transaction as
 * EventTypeCode): the requester as the source (110153), the hub as the
 * destination (110152) and audit source, the topic as a query participant
 * object (type 2 "system object", role 24 "query") with the request in
 * ParticipantObjectQuery (base64).
 */
char *
fcm_atna_format (const FcmAtnaEvent *event,
                 GDateTime          *time)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuditMessage>");
  g_autofree char *when = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_autofree char *requester = g_markup_escape_text (event->requester != NULL ? event->requester : "unknown", -1);
  g_autofree char *hub = g_markup_escape_text (event->hub_url, -1);
  g_autoptr(GUri) uri = g_uri_parse (event->hub_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *hub_host = g_markup_escape_text (uri != NULL && g_uri_get_host (uri) != NULL
                                                    ? g_uri_get_host (uri) : "localhost", -1);

  g_string_append_printf (out, "<EventIdentification EventActionCode=\"E\" EventDateTime=\"%s\" "
                          "EventOutcomeIndicator=\"%d\">", when, outcome_indicator (event->status));
  append_code (out, "EventID", "110112", "DCM", "Query");
  append_code (out, "EventTypeCode", event->transaction, "IHE Transactions", event->transaction_name);
  g_string_append (out, "</EventIdentification>");

  g_string_append_printf (out, "<ActiveParticipant UserID=\"%s\" UserIsRequestor=\"true\"", requester);
  if (event->requester_address != NULL)
    {
      g_autofree char *address = g_markup_escape_text (event->requester_address, -1);

      g_string_append_printf (out, " NetworkAccessPointID=\"%s\" NetworkAccessPointTypeCode=\"2\"", address);
    }
  g_string_append (out, ">");
  append_code (out, "RoleIDCode", "110153", "DCM", "Source Role ID");
  g_string_append (out, "</ActiveParticipant>");

  g_string_append_printf (out, "<ActiveParticipant UserID=\"%s\" UserIsRequestor=\"false\" "
                          "NetworkAccessPointID=\"%s\" NetworkAccessPointTypeCode=\"%d\">",
                          hub, hub_host,
                          uri != NULL && g_hostname_is_ip_address (g_uri_get_host (uri)) ? 2 : 1);
  append_code (out, "RoleIDCode", "110152", "DCM", "Destination Role ID");
  g_string_append (out, "</ActiveParticipant>");

  g_string_append_printf (out, "<AuditSourceIdentification AuditSourceID=\"%s\">", hub);
  append_code (out, "AuditSourceTypeCode", "4", "DCM", "Application Server Process");
  g_string_append (out, "</AuditSourceIdentification>");

  if (event->topic != NULL || event->query != NULL)
    {
      g_autofree char *topic = g_markup_escape_text (event->topic != NULL ? event->topic : "", -1);

      g_string_append_printf (out, "<ParticipantObjectIdentification ParticipantObjectID=\"%s\" "
                              "ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"24\">", topic);
      append_code (out, "ParticipantObjectIDTypeCode", event->transaction, "IHE Transactions",
                   event->transaction_name);
      if (event->query != NULL)
        {
          g_autofree char *query = g_base64_encode ((const guchar *) event->query, strlen (event->query));

          g_string_append_printf (out, "<ParticipantObjectQuery>%s</ParticipantObjectQuery>", query);
        }
      g_string_append (out, "</ParticipantObjectIdentification>");
    }
  g_string_append (out, "</AuditMessage>");
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* syslog                                                                    */

typedef enum { TRANSPORT_UDP, TRANSPORT_TCP, TRANSPORT_TLS } Transport;

struct _FcmAtnaSender
{
  gint               ref_count;
  gboolean           orphaned;      /* freed by its owner: finish nothing more */
  Transport          transport;
  char              *host;
  guint16            port;
  GSocket           *udp;
  GSocketAddress    *udp_address;
  GSocketClient     *client;
  GIOStream         *stream;        /* TCP/TLS, once connected */
  gboolean           connecting;
  gboolean           writing;
  GQueue             queue;         /* GBytes, framed */
  GCancellable      *cancellable;
  GTlsCertificate   *client_certificate;  /* TLS: presented to the collector (mutual TLS) */
  GTlsDatabase      *trust;         /* TLS: the collector's CAs; NULL = system */
};

static void client_event_cb (GSocketClient      *client,
                             GSocketClientEvent  event,
                             GSocketConnectable *connectable,
                             GIOStream          *connection,
                             gpointer            data);

static FcmAtnaSender *
sender_ref (FcmAtnaSender *sender)
{
  sender->ref_count++;
  return sender;
}

static void
sender_unref (FcmAtnaSender *sender)
{
  if (--sender->ref_count > 0)
    return;
  g_queue_clear_full (&sender->queue, (GDestroyNotify)g_bytes_unref);
  g_clear_object (&sender->udp);
  g_clear_object (&sender->udp_address);
  g_clear_object (&sender->client);
  g_clear_object (&sender->stream);
  g_clear_object (&sender->cancellable);
  g_clear_object (&sender->client_certificate);
  g_clear_object (&sender->trust);
  g_free (sender->host);
  g_free (sender);
}

/**
 * fcm_atna_sender_new:
 * @url: `udp://ADDRESS[:PORT]` (an IP address; port 514), `tcp://HOST[:PORT]`
 *   (514) or `tls://HOST[:PORT]` (6514; the server's certificate is checked
 *   against the system's trust store)
 */
FcmAtnaSender *
fcm_atna_sender_new (const char  *url,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
  FcmAtnaSender *sender;
  const char *scheme;
  Transport transport;
  int port;

  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "udp") == 0)
    transport = TRANSPORT_UDP;
  else if (g_ascii_strcasecmp (scheme, "tcp") == 0)
    transport = TRANSPORT_TCP;
  else if (g_ascii_strcasecmp (scheme, "tls") == 0)
    transport = TRANSPORT_TLS;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("syslog URL must be udp://, tcp:// or tls://, not %s"), url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("syslog URL has no host: %s"), url);
      return NULL;
    }
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = transport == TRANSPORT_TLS ? 6514 : 514;

  sender = g_new0 (FcmAtnaSender, 1);
  sender->ref_count = 1;
  sender->transport = transport;
  sender->host = g_strdup (g_uri_get_host (uri));
  sender->port = (guint16) port;
  sender->cancellable = g_cancellable_new ();
  g_queue_init (&sender->queue);

  if (transport == TRANSPORT_UDP)
    {
      const char *host = sender->host;
      g_autofree char *bare = NULL;
      g_autoptr(GInetAddress) address = NULL;

      if (host[0] == '[')
        host = bare = g_strndup (host + 1, strlen (host) - 2);
      address = g_inet_address_new_from_string (host);
      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("a udp:// syslog URL needs an IP address, not %s"), sender->host);
          sender_unref (sender);
          return NULL;
        }
      sender->udp_address = g_inet_socket_address_new (address, sender->port);
      sender->udp = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, error);
      if (sender->udp == NULL)
        {
          sender_unref (sender);
          return NULL;
        }
      g_socket_set_blocking (sender->udp, FALSE);
    }
  else
    {
      sender->client = g_socket_client_new ();
      g_socket_client_set_timeout (sender->client, 10);
      g_socket_client_set_tls (sender->client, transport == TRANSPORT_TLS);
      if (transport == TRANSPORT_TLS)
        g_signal_connect (sender->client, "event", G_CALLBACK (client_event_cb), sender);
    }
  return sender;
}

static void sender_pump (FcmAtnaSender *sender);

/* The TLS handshake with the collector: our certificate (IHE ATNA node
 * authentication is mutual TLS) and the CAs its certificate must chain to. */
static void
client_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            data)
{
  FcmAtnaSender *sender = data;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CONNECTION (connection))
    return;
  if (sender->client_certificate != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (connection), sender->client_certificate);
  if (sender->trust != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), sender->trust);
}

/**
 * fcm_atna_sender_set_tls:
 * @client_certificate: (nullable): with its private key
 * @trust: (nullable): %NULL = the system's trust store
 *
 * For a tls:// sender: what it presents to the collector and what it
 * trusts. Applies from the next connection.
 */
gboolean
fcm_atna_sender_set_tls (FcmAtnaSender    *sender,
                         GTlsCertificate  *client_certificate,
                         GTlsDatabase     *trust,
                         GError          **error)
{
  if (sender->transport != TRANSPORT_TLS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("a client certificate and trusted CAs need a tls:// syslog URL"));
      return FALSE;
    }
  if (client_certificate != NULL)
    {
      g_autofree char *key = NULL;

      g_object_get (client_certificate, "private-key-pem", &key, NULL);
      if (key == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("the syslog client certificate has no private key"));
          return FALSE;
        }
      memset (key, 0, strlen (key));
    }
  g_set_object (&sender->client_certificate, client_certificate);
  g_set_object (&sender->trust, trust);
  g_clear_object (&sender->stream);   /* the next message connects with them */
  return TRUE;
}

/* The collector is unreachable: what is queued is dropped (and said), so
 * that nothing waits on it forever; the next message tries again. */
static void
sender_failed (FcmAtnaSender *sender,
               const char    *what,
               GError        *error)
{
  guint dropped = g_queue_get_length (&sender->queue);

  g_message ("ATNA syslog %s:%u: %s failed (%s); %u audit message(s) dropped",
             sender->host, sender->port, what, error->message, dropped);
  g_queue_clear_full (&sender->queue, (GDestroyNotify)g_bytes_unref);
  g_clear_object (&sender->stream);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  FcmAtnaSender *sender = user_data;
  g_autoptr(GError) error = NULL;

  sender->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!sender->orphaned)
        sender_failed (sender, "sending", error);
    }
  else
    {
      g_bytes_unref (g_queue_pop_head (&sender->queue));
      if (!sender->orphaned)
        sender_pump (sender);
    }
  sender_unref (sender);
}

static void
connect_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FcmAtnaSender *sender = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result,
                                                                          &error);

  sender->connecting = FALSE;
  if (connection == NULL)
    {
      if (!sender->orphaned)
        sender_failed (sender, "connecting", error);
    }
  else
    {
      sender->stream = G_IO_STREAM (connection);
      if (!sender->orphaned)
        sender_pump (sender);
    }
  sender_unref (sender);
}

static void
sender_pump (FcmAtnaSender *sender)
{
  GBytes *head;

  if (sender->writing || sender->connecting || g_queue_is_empty (&sender->queue))
    return;
  if (sender->stream == NULL)
    {
      sender->connecting = TRUE;
      g_socket_client_connect_to_host_async (sender->client, sender->host, sender->port, sender->cancellable,
                                             connect_done_cb, sender_ref (sender));
      return;
    }
  head = g_queue_peek_head (&sender->queue);
  sender->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (sender->stream),
                                   g_bytes_get_data (head, NULL), g_bytes_get_size (head),
                                   G_PRIORITY_DEFAULT, sender->cancellable, write_done_cb, sender_ref (sender));
}

/**
 * fcm_atna_sender_send:
 *
 * Sends @xml as one RFC 5424 message (MSGID IHE+RFC-3881), at once over
 * UDP, in order over TCP/TLS (octet-counted, RFC 6587 §3.4.1 / RFC 5425).
 */
void
fcm_atna_sender_send (FcmAtnaSender *sender,
                      const char    *xml,
                      GDateTime     *time)
{
  g_autofree char *when = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_autofree char *host = g_strndup (g_get_host_name (), 255);
  g_autofree char *message = NULL;

  /* RFC 5424 §6.2.4: printable US-ASCII, no spaces */
  for (char *p = host; *p != '\0'; p++)
    if (*p <= 32 || *p >= 127)
      *p = '-';
  message = g_strdup_printf ("<%d>1 %s %s fhircast-hub %d " SYSLOG_MSGID " - %s",
                             SYSLOG_PRI, when, *host != '\0' ? host : "-", (int) getpid (), xml);

  if (sender->transport == TRANSPORT_UDP)
    {
      g_autoptr(GError) error = NULL;

      if (g_socket_send_to (sender->udp, sender->udp_address, message, strlen (message), NULL, &error) < 0)
        g_message ("ATNA syslog %s:%u: sending failed (%s); 1 audit message dropped",
                   sender->host, sender->port, error->message);
      return;
    }

  if (g_queue_get_length (&sender->queue) >= MAX_QUEUED)
    {
      g_message ("ATNA syslog %s:%u: %d audit messages waiting; the oldest is dropped",
                 sender->host, sender->port, MAX_QUEUED);
      if (!sender->writing)
        g_bytes_unref (g_queue_pop_head (&sender->queue));
      else
        g_bytes_unref (g_queue_pop_nth (&sender->queue, 1));
    }
  {
    g_autofree char *framed = g_strdup_printf ("%zu %s", strlen (message), message);
    gsize size = strlen (framed);

    g_queue_push_tail (&sender->queue, g_bytes_new_take (g_steal_pointer (&framed), size));
  }
  sender_pump (sender);
}

/* Messages not yet handed to the kernel (TCP/TLS). */
guint
fcm_atna_sender_get_pending (FcmAtnaSender *sender)
{
  return g_queue_get_length (&sender->queue);
}

void
fcm_atna_sender_free (FcmAtnaSender *sender)
{
  if (sender == NULL)
    return;
  sender->orphaned = TRUE;
  g_cancellable_cancel (sender->cancellable);
  sender_unref (sender);
}

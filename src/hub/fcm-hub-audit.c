/* fcm-hub-audit.c: the audit trail (--audit, --audit-syslog; H-40)
 *
 * While a request is handled, the handlers note what it was in an
 * AuditRecord: the transaction (RAD-146 subscribe, RAD-152 unsubscribe,
 * RAD-148..151 and RAD-156 context changes, RAD-153 Get Current Context),
 * topic, event, subscriber and token. Once the request is answered, the
 * record is written here: one JSON line to the audit stream, in order and
 * without blocking the loop, and for RAD-146, RAD-152 and RAD-153 an ATNA
 * message, which fcm-atna.c formats and sends. Never a secret; an endpoint
 * id only as its first 4 characters.
 *
 * The request handler that writes the records is _fcm_hub_handle() in
 * fcm-hub-http.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-hub-private.h"

/* hub.events longer than this is not repeated in the ATNA query */
#define AUDIT_MAX_EVENTS_BYTES 4096

static void
audit_writer_free (AuditWriter *writer)
{
  g_queue_clear_full (&writer->lines, (GDestroyNotify)g_bytes_unref);
  g_object_unref (writer->stream);
  g_free (writer);
}

static void audit_write_next (AuditWriter *writer);

static void
audit_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  AuditWriter *writer = data;
  g_autoptr(GError) error = NULL;

  writer->busy = FALSE;
  g_bytes_unref (g_queue_pop_head (&writer->lines));
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_message ("audit trail: %s; no further records are written", error->message);
      writer->failed = TRUE;
      g_queue_clear_full (&writer->lines, (GDestroyNotify)g_bytes_unref);
    }
  if (g_queue_is_empty (&writer->lines) && writer->orphaned)
    audit_writer_free (writer);
  else
    audit_write_next (writer);
}

/* One write at a time keeps the lines in order. */
static void
audit_write_next (AuditWriter *writer)
{
  GBytes *line = g_queue_peek_head (&writer->lines);

  if (writer->busy || line == NULL)
    return;
  writer->busy = TRUE;
  g_output_stream_write_all_async (writer->stream, g_bytes_get_data (line, NULL), g_bytes_get_size (line),
                                   G_PRIORITY_DEFAULT, NULL, audit_written_cb, writer);
}

/* Lets a busy writer finish its queue on its own. */
void
_fcm_hub_audit_writer_release (AuditWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->busy)
    writer->orphaned = TRUE;
  else
    audit_writer_free (writer);
}

void
_fcm_hub_audit_record_clear (AuditRecord *rec)
{
  g_free (rec->topic);
  g_free (rec->event_name);
  g_free (rec->event_id);
  g_free (rec->endpoint);
  g_free (rec->subscriber_name);
  g_free (rec->events);
}

/* Handlers say what the request was while it is being handled. */
void
_fcm_hub_audit_note (FcmHub     *self,
                     const char *transaction,
                     const char *action,
                     const char *topic)
{
  AuditRecord *rec = self->audit_rec;

  if (rec == NULL)
    return;
  rec->transaction = transaction;
  rec->action = action;
  if (topic != NULL)
    {
      g_free (rec->topic);
      rec->topic = g_strdup (topic);
    }
}

void
_fcm_hub_audit_note_event (FcmHub     *self,
                           const char *event_name,
                           const char *event_id)
{
  AuditRecord *rec = self->audit_rec;

  if (rec == NULL)
    return;
  g_free (rec->event_name);
  rec->event_name = g_strdup (event_name);
  g_free (rec->event_id);
  rec->event_id = g_strdup (event_id);
}

void
_fcm_hub_audit_note_subscriber (FcmHub     *self,
                                const char *endpoint_id,
                                const char *name)
{
  AuditRecord *rec = self->audit_rec;

  if (rec == NULL)
    return;
  if (endpoint_id != NULL)
    {
      g_free (rec->endpoint);
      rec->endpoint = _fcm_hub_redact (endpoint_id);
    }
  if (name != NULL)
    {
      g_free (rec->subscriber_name);
      rec->subscriber_name = g_strdup (name);
    }
}

/* IRA transaction of a context change request */
const char *
_fcm_hub_audit_transaction_of (const char *event_name)
{
  static const struct { const char *name; const char *transaction; } map[] = {
    { "DiagnosticReport-open", "RAD-148" },
    { "DiagnosticReport-close", "RAD-149" },
    { "DiagnosticReport-update", "RAD-150" },
    { "DiagnosticReport-select", "RAD-151" },
    { "syncerror", "RAD-156" },
  };

  for (guint i = 0; event_name != NULL && i < G_N_ELEMENTS (map); i++)
    if (fcm_event_name_equal (event_name, map[i].name))
      return map[i].transaction;
  return "context-change";
}

/* One JSON line: never a secret, an endpoint id only as its first 4 characters. */
void
_fcm_hub_audit_emit (FcmHub            *self,
                     SoupServerMessage *msg,
                     AuditRecord       *rec)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  g_autofree char *text = NULL;
  const char *address = soup_server_message_get_remote_host (msg);
  char *line;

  json_object_set_string_member (obj, "time", time);
  json_object_set_string_member (obj, "transaction", rec->transaction);
  json_object_set_string_member (obj, "action", rec->action);
  json_object_set_int_member (obj, "outcome", soup_server_message_get_status (msg));
  if (rec->token != NULL)
    {
      json_object_set_string_member (obj, "requester", rec->token->name);
      json_object_set_string_member (obj, "requesterType", "token");
    }
  else if (rec->subscriber_name != NULL)
    {
      json_object_set_string_member (obj, "requester", rec->subscriber_name);
      json_object_set_string_member (obj, "requesterType", "subscriber.name");
    }
  else
    {
      json_object_set_string_member (obj, "requester", address != NULL ? address : "unknown");
      json_object_set_string_member (obj, "requesterType", "address");
    }
  if (rec->subscriber_name != NULL)
    json_object_set_string_member (obj, "subscriber", rec->subscriber_name);
  if (address != NULL)
    json_object_set_string_member (obj, "address", address);
  if (rec->topic != NULL)
    json_object_set_string_member (obj, "topic", rec->topic);
  if (rec->event_name != NULL)
    json_object_set_string_member (obj, "event", rec->event_name);
  if (rec->event_id != NULL)
    json_object_set_string_member (obj, "eventId", rec->event_id);
  if (rec->endpoint != NULL)
    json_object_set_string_member (obj, "endpoint", rec->endpoint);

  text = _fcm_hub_object_to_string (obj);
  line = g_strconcat (text, "\n", NULL);
  g_queue_push_tail (&self->audit->lines, g_bytes_new_take (line, strlen (line)));
  audit_write_next (self->audit);
}

/* H-40, IRA RAD-146/152/153 §x.5.1: the Query Information trigger events
 * as ATNA audit messages. */
void
_fcm_hub_audit_emit_atna (FcmHub            *self,
                          SoupServerMessage *msg,
                          AuditRecord       *rec)
{
  static const struct { const char *transaction, *name; } names[] = {
    { "RAD-146", "Subscribe to Reporting Session" },
    { "RAD-152", "Unsubscribe Session" },
    { "RAD-153", "Get Current Context" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *query = NULL;
  g_autofree char *xml = NULL;
  const char *address = soup_server_message_get_remote_host (msg);
  FcmAtnaEvent event = { 0, };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (rec->transaction, names[i].transaction))
      {
        event.transaction = names[i].transaction;
        event.transaction_name = names[i].name;
      }
  if (event.transaction == NULL)
    return;

  /* what was asked, rebuilt from the parts that are not secret (never the
   * endpoint id or a token) */
  if (g_str_equal (rec->transaction, "RAD-153"))
    query = g_strdup_printf ("GET %s/%s", self->url, rec->topic != NULL ? rec->topic : "");
  else
    query = soup_form_encode ("hub.mode", g_str_equal (rec->transaction, "RAD-146") ? "subscribe" : "unsubscribe",
                              "hub.topic", rec->topic != NULL ? rec->topic : "",
                              rec->events != NULL ? "hub.events" : NULL, rec->events, NULL);

  event.status = soup_server_message_get_status (msg);
  event.requester = rec->token != NULL ? rec->token->name
                    : rec->subscriber_name != NULL ? rec->subscriber_name : address;
  event.requester_address = address;
  event.hub_url = self->url;
  event.topic = rec->topic;
  event.query = query;
  xml = fcm_atna_format (&event, now);
  fcm_atna_sender_send (self->atna, xml, now);
}

gboolean
_fcm_hub_auditing (FcmHub *self)
{
  return (self->audit != NULL && !self->audit->failed) || self->atna != NULL;
}

/* The transaction an HTTP request is, as far as it can be told before it
 * is authorised; the handlers refine it. */
void
_fcm_hub_audit_classify (FcmHub            *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GBytes            *body)
{
  const char *method = soup_server_message_get_method (msg);
  const char *ct = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  const char *rest;

  if (!g_str_has_prefix (path, FCM_HUB_BASE_PATH) ||
      (path[strlen (FCM_HUB_BASE_PATH)] != '\0' && path[strlen (FCM_HUB_BASE_PATH)] != '/'))
    return;
  rest = path + strlen (FCM_HUB_BASE_PATH);
  if (*rest == '/')
    rest++;
  if (strchr (rest, '/') != NULL)
    return;

  if (g_str_equal (method, SOUP_METHOD_GET) && *rest != '\0')
    _fcm_hub_audit_note (self, "RAD-153", "get-context", _fcm_hub_check_topic (rest) == NULL ? rest : NULL);
  else if (g_str_equal (method, SOUP_METHOD_POST) && ct != NULL &&
           g_ascii_strcasecmp (ct, "application/x-www-form-urlencoded") == 0)
    {
      const char *bad_field = NULL;
      g_autoptr(GHashTable) form = body != NULL ? _fcm_hub_form_decode (g_bytes_get_data (body, NULL),
                                                                        g_bytes_get_size (body), &bad_field)
                                                : NULL;
      gboolean unsubscribe = g_strcmp0 (_fcm_hub_form_get (form, "hub.mode"), "unsubscribe") == 0;
      const char *topic = _fcm_hub_form_get (form, "hub.topic");
      const char *events = _fcm_hub_form_get (form, "hub.events");

      /* a refusal before the body was read (its body is NULL) is recorded as
       * RAD-146 without a topic; a topic that is not one is left out */
      _fcm_hub_audit_note (self, unsubscribe ? "RAD-152" : "RAD-146", unsubscribe ? "unsubscribe" : "subscribe",
                           _fcm_hub_check_topic (topic) == NULL ? topic : NULL);
      if (!unsubscribe && self->audit_rec != NULL && events != NULL && strlen (events) <= AUDIT_MAX_EVENTS_BYTES)
        self->audit_rec->events = g_strdup (events);
    }
  else if (g_str_equal (method, SOUP_METHOD_POST))
    _fcm_hub_audit_note (self, "context-change", "context-change",
                         *rest != '\0' && _fcm_hub_check_topic (rest) == NULL ? rest : NULL);
}

/**
 * fcm_hub_set_audit_stream:
 * @stream: (nullable): where to write the audit trail; %NULL turns it off
 *
 * H-40 (MAY): one JSON object per line for every subscribe, renewal and
 * unsubscribe (RAD-146, RAD-152), context change request (RAD-148..151,
 * RAD-156, other events "context-change") and Get Current Context (RAD-153),
 * whatever the outcome. Lines are written asynchronously, in order. Records
 * still queued for an earlier stream are written to it.
 */
void
fcm_hub_set_audit_stream (FcmHub        *self,
                          GOutputStream *stream)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (stream == NULL || G_IS_OUTPUT_STREAM (stream));

  g_clear_pointer (&self->audit, _fcm_hub_audit_writer_release);
  if (stream != NULL)
    {
      self->audit = g_new0 (AuditWriter, 1);
      self->audit->stream = g_object_ref (stream);
      g_queue_init (&self->audit->lines);
    }
}

/**
 * fcm_hub_get_audit_pending:
 *
 * Returns: the number of audit records not yet written (0 when off)
 */
guint
fcm_hub_get_audit_pending (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return (self->audit != NULL ? g_queue_get_length (&self->audit->lines) : 0) +
         (self->atna != NULL ? fcm_atna_sender_get_pending (self->atna) : 0);
}

/**
 * fcm_hub_set_audit_syslog:
 * @url: (nullable): `udp://ADDRESS[:PORT]`, `tcp://HOST[:PORT]` or
 *   `tls://HOST[:PORT]`; %NULL turns it off
 *
 * Sends IHE ATNA audit messages (DICOM PS3.15 A.5 XML in RFC 5424 syslog)
 * for Subscribe (RAD-146), Unsubscribe (RAD-152) and Get Current Context
 * (RAD-153), the Query Information trigger events of IRA (H-40).
 */
gboolean
fcm_hub_set_audit_syslog (FcmHub      *self,
                          const char  *url,
                          GError     **error)
{
  FcmAtnaSender *sender = NULL;

  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);

  if (url != NULL && (sender = fcm_atna_sender_new (url, error)) == NULL)
    return FALSE;
  g_clear_pointer (&self->atna, fcm_atna_sender_free);
  self->atna = sender;
  return TRUE;
}

/**
 * fcm_hub_set_audit_syslog_tls:
 * @client_certificate: (nullable): presented to a tls:// collector (mutual
 *   TLS, as IHE ATNA node authentication expects); with its private key
 * @trust: (nullable): the CAs the collector's certificate must chain to;
 *   %NULL = the system's trust store
 *
 * Call after fcm_hub_set_audit_syslog() with a tls:// URL.
 *
 * Returns: %FALSE with @error when the syslog output is not tls://, or the
 *   certificate has no private key
 */
gboolean
fcm_hub_set_audit_syslog_tls (FcmHub           *self,
                              GTlsCertificate  *client_certificate,
                              GTlsDatabase     *trust,
                              GError          **error)
{
  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  g_return_val_if_fail (client_certificate == NULL || G_IS_TLS_CERTIFICATE (client_certificate), FALSE);
  g_return_val_if_fail (trust == NULL || G_IS_TLS_DATABASE (trust), FALSE);

  if (self->atna == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("no tls:// syslog output (--audit-syslog)"));
      return FALSE;
    }
  return fcm_atna_sender_set_tls (self->atna, client_certificate, trust, error);
}

/* fcm-event-log-entry.c: one message in the event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the event log (see fcm-event-log-private.h). An entry keeps its
 * text packed (fcm-event-log-store.c) and makes the parsed event and the
 * issue objects only when someone asks for them.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-event-log-private.h"
#include "fcm-json-private.h"

typedef struct
{
  char *text;            /* decoded, once get_text () was called */
  FcmEvent *event;       /* parsed on demand (or given without text) */
  GPtrArray *issues;     /* made once get_issues () was called */
  char *name;            /* the event name, when it is not the text's key */
} EntryExtra;

/* what only some entries need lives in the object's qdata, not in every entry */
static GQuark extra_quark;

static void
entry_extra_free (gpointer data)
{
  EntryExtra *extra = data;

  g_free (extra->text);
  g_free (extra->name);
  g_clear_object (&extra->event);
  g_clear_pointer (&extra->issues, g_ptr_array_unref);
  g_free (extra);
}

static EntryExtra *
entry_extra_peek (FcmEventLogEntry *self)
{
  return g_object_get_qdata (G_OBJECT (self), extra_quark);
}

static EntryExtra *
entry_extra (FcmEventLogEntry *self)
{
  EntryExtra *extra = entry_extra_peek (self);

  if (extra == NULL)
    {
      extra = g_new0 (EntryExtra, 1);
      g_object_set_qdata_full (G_OBJECT (self), extra_quark, extra, entry_extra_free);
    }
  return extra;
}

G_DEFINE_FINAL_TYPE (FcmEventLogEntry, fcm_event_log_entry, G_TYPE_OBJECT)

enum {
  ENTRY_PROP_0,
  ENTRY_PROP_RECEIVED,
  ENTRY_PROP_LATENCY_MS,
  ENTRY_PROP_KIND,
  ENTRY_PROP_TEXT,
  ENTRY_PROP_EVENT,
  ENTRY_PROP_ACK_STATUS,
  ENTRY_PROP_OWN_ECHO,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
fcm_event_log_entry_finalize (GObject *object)
{
  FcmEventLogEntry *self = FCM_EVENT_LOG_ENTRY (object);

  _fcm_packed_text_clear (&self->text);
  g_clear_pointer (&self->issues, _fcm_packed_issues_free);

  G_OBJECT_CLASS (fcm_event_log_entry_parent_class)->finalize (object);
}

static void
fcm_event_log_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FcmEventLogEntry *self = FCM_EVENT_LOG_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_RECEIVED:
      g_value_set_int64 (value, self->received);
      break;
    case ENTRY_PROP_LATENCY_MS:
      g_value_set_int64 (value, fcm_event_log_entry_get_latency_ms (self));
      break;
    case ENTRY_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case ENTRY_PROP_TEXT:
      g_value_take_string (value, fcm_event_log_entry_dup_text (self));
      break;
    case ENTRY_PROP_EVENT:
      g_value_set_object (value, fcm_event_log_entry_get_event (self));
      break;
    case ENTRY_PROP_ACK_STATUS:
      g_value_set_uint (value, self->ack_status);
      break;
    case ENTRY_PROP_OWN_ECHO:
      g_value_set_boolean (value, self->own_echo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_event_log_entry_class_init (FcmEventLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = fcm_event_log_entry_finalize;
  extra_quark = g_quark_from_static_string ("fcm-event-log-entry-extra");
  object_class->get_property = fcm_event_log_entry_get_property;

  entry_properties[ENTRY_PROP_RECEIVED] =
    g_param_spec_int64 ("received", NULL, NULL, 0, G_MAXINT64, 0, ro);
  entry_properties[ENTRY_PROP_LATENCY_MS] =
    g_param_spec_int64 ("latency-ms", NULL, NULL, G_MININT64, G_MAXINT64, G_MININT64, ro);
  entry_properties[ENTRY_PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, FCM_TYPE_MESSAGE_KIND, FCM_MESSAGE_UNKNOWN, ro);
  entry_properties[ENTRY_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, ro);
  entry_properties[ENTRY_PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, FCM_TYPE_EVENT, ro);
  entry_properties[ENTRY_PROP_ACK_STATUS] =
    g_param_spec_uint ("ack-status", NULL, NULL, 0, 999, 0, ro);
  entry_properties[ENTRY_PROP_OWN_ECHO] =
    g_param_spec_boolean ("own-echo", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
fcm_event_log_entry_init (FcmEventLogEntry *self)
{
  self->latency_ms = G_MININT32;
}

/**
 * fcm_event_log_entry_new:
 * @event: (nullable): the parsed notification, if it is one
 * @issues: (nullable) (element-type FcmIssue): validation issues (copied,
 *   packed: fcm_event_log_entry_get_issues() makes equal FcmIssues again)
 *
 * Stamps the receive time now; the latency is computed from the event's
 * timestamp (the hub's send time for a live notification).
 */
FcmEventLogEntry *
fcm_event_log_entry_new (const char     *text,
                         FcmMessageKind  kind,
                         FcmEvent       *event,
                         GPtrArray      *issues)
{
  FcmEventLogEntry *self = g_object_new (FCM_TYPE_EVENT_LOG_ENTRY, NULL);
  const char *event_id = event != NULL ? fcm_event_get_id (event) : NULL;
  const char *name = event != NULL ? fcm_event_get_name (event) : NULL;
  /* texts with the same key are compressed against each other: the event
   * name, shared, while there are not too many (a hub making up a name for
   * every event would grow g_intern_string()'s table for good), else the
   * kind, the name then kept in the entry */
  const char *shared = name != NULL ? _fcm_shared_string (name) : NULL;
  const char *key = shared != NULL ? shared : fcm_message_kind_to_string (kind);

  if (name != NULL && shared == NULL)
    entry_extra (self)->name = g_strdup (name);
  self->received = g_get_real_time ();
  self->kind = kind;
  _fcm_packed_text_init (&self->text, key, text != NULL ? text : "", event_id);
  self->has_id = event_id != NULL;
  if (issues != NULL && issues->len > 0)
    self->issues = _fcm_packed_issues_new (issues);
  if (event != NULL)
    {
      gint64 ts = fcm_event_get_timestamp_usec (event);

      self->is_event = TRUE;
      if (ts > 0)
        self->latency_ms = (gint32) CLAMP ((self->received - ts) / 1000, G_MININT32 + 1, G_MAXINT32);
      /* without a text to parse again later, keep the event itself */
      if (self->text.text_len == 0)
        entry_extra (self)->event = g_object_ref (event);
    }
  return self;
}

/**
 * fcm_event_log_entry_new_from_message:
 * @message: a received message
 * @issues: (nullable) (element-type FcmIssue): what the validator found in it
 *
 * Like fcm_event_log_entry_new() for the text, kind and event of @message,
 * received when @message was read.
 */
FcmEventLogEntry *
fcm_event_log_entry_new_from_message (FcmMessage *message,
                                      GPtrArray  *issues)
{
  FcmEventLogEntry *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = fcm_event_log_entry_new (fcm_message_get_text (message), fcm_message_get_kind (message),
                                  fcm_message_get_event (message), issues);
  _fcm_event_log_entry_set_received (self, fcm_message_get_received_usec (message), fcm_message_get_event (message));
  return self;
}

/**
 * fcm_event_log_entry_new_note:
 * @note: what happened to the subscription, a code (#FCM_NOTE_SUBSCRIBED …)
 * @detail: (nullable): why, for a failure (no URL, no secret)
 *
 * An entry that was not received: the monitor notes connection changes in
 * the timeline among the messages (connected, lost, resubscribed, ended).
 * Its text is `{"note": @note, "detail": @detail}`.
 */
FcmEventLogEntry *
fcm_event_log_entry_new_note (const char *note,
                              const char *detail)
{
  FcmEventLogEntry *self;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (note != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, note);
  if (detail != NULL)
    {
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, detail);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = fcm_json_to_string (root, FALSE);

  self = g_object_new (FCM_TYPE_EVENT_LOG_ENTRY, NULL);
  self->received = g_get_real_time ();
  self->kind = FCM_MESSAGE_UNKNOWN;
  self->is_note = TRUE;
  /* the code as the tail, as an event's id is */
  _fcm_packed_text_init (&self->text, "note", text, note);
  return self;
}

static gboolean
note_state_is_live (FcmClientState state)
{
  return state == FCM_CLIENT_STATE_ACTIVE || state == FCM_CLIENT_STATE_RENEWING;
}

/* Connect, loss, resubscription and the end. A failed retry while
 * reconnecting is not noted each time (the backoff, C-68). @was_live: the
 * subscription was live before (so live again is "resubscribed"). */
const char *
_fcm_event_log_note_for_state (FcmClientState previous,
                               FcmClientState state,
                               gboolean       was_live)
{
  if (note_state_is_live (state) && !note_state_is_live (previous))
    return was_live ? FCM_NOTE_RESUBSCRIBED : FCM_NOTE_SUBSCRIBED;
  if (state == FCM_CLIENT_STATE_RECONNECTING && note_state_is_live (previous))
    return FCM_NOTE_CONNECTION_LOST;
  if (state == FCM_CLIENT_STATE_DENIED && previous != FCM_CLIENT_STATE_DENIED)
    return FCM_NOTE_ENDED;
  if (state == FCM_CLIENT_STATE_ERROR && previous != FCM_CLIENT_STATE_ERROR)
    return FCM_NOTE_FAILED;
  if (state == FCM_CLIENT_STATE_DISCONNECTED && was_live && previous != FCM_CLIENT_STATE_DISCONNECTED)
    return FCM_NOTE_UNSUBSCRIBED;
  return NULL;
}

/**
 * fcm_event_log_entry_get_note:
 *
 * Returns: (nullable): the note's code (fcm_event_log_entry_new_note()),
 *   %NULL for a received message
 */
const char *
fcm_event_log_entry_get_note (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);
  return self->is_note ? FCM_PACKED_TEXT_TAIL (&self->text) : NULL;
}

void
_fcm_event_log_entry_set_received (FcmEventLogEntry *self,
                                   gint64            received_usec,
                                   FcmEvent         *event)
{
  gint64 ts = event != NULL ? fcm_event_get_timestamp_usec (event) : 0;

  self->received = received_usec;
  if (ts > 0)
    self->latency_ms = (gint32) CLAMP ((self->received - ts) / 1000, G_MININT32 + 1, G_MAXINT32);
}

gint64
fcm_event_log_entry_get_received (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), 0);
  return self->received;
}

/**
 * fcm_event_log_entry_get_latency_ms:
 *
 * Returns: hub-to-us latency in ms, %G_MININT64 when unknown (replays keep
 *   their original timestamp, C-21, so theirs is large)
 */
gint64
fcm_event_log_entry_get_latency_ms (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), G_MININT64);
  return self->latency_ms == G_MININT32 ? G_MININT64 : self->latency_ms;
}

FcmMessageKind
fcm_event_log_entry_get_kind (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), FCM_MESSAGE_UNKNOWN);
  return self->kind;
}

const char *
fcm_event_log_entry_get_text (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  /* kept from now on: for many entries, fcm_event_log_entry_dup_text () */
  extra = entry_extra (self);
  if (extra->text == NULL)
    extra->text = fcm_event_log_entry_dup_text (self);
  return extra->text;
}

/**
 * fcm_event_log_entry_dup_text:
 *
 * The message text as received. Unlike fcm_event_log_entry_get_text(), it
 * keeps nothing with the entry, which stores its text compactly: use it when
 * going through many entries (search, export).
 *
 * Returns: (transfer full): the text
 */
char *
fcm_event_log_entry_dup_text (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  extra = entry_extra_peek (self);
  if (extra != NULL && extra->text != NULL)
    return g_strdup (extra->text);
  return _fcm_packed_text_dup (&self->text);
}

/**
 * fcm_event_log_entry_get_event:
 *
 * The event is parsed from the text on first use and then kept with the
 * entry (the timeline parses only the entries someone looks at).
 *
 * Returns: (transfer none) (nullable):
 */
FcmEvent *
fcm_event_log_entry_get_event (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  extra = entry_extra_peek (self);
  if ((extra == NULL || extra->event == NULL) && self->is_event && !self->parse_failed)
    {
      g_autofree char *text = fcm_event_log_entry_dup_text (self);

      extra = entry_extra (self);
      extra->event = fcm_event_new_from_json (text, -1, NULL);
      self->parse_failed = extra->event == NULL;
    }
  return extra != NULL ? extra->event : NULL;
}

/**
 * fcm_event_log_entry_get_name:
 *
 * Returns: (nullable): the event name as received, %NULL when the entry is not an event
 */
const char *
fcm_event_log_entry_get_name (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);
  if (!self->is_event)
    return NULL;
  /* the text's key is the event name, unless the entry keeps it */
  extra = entry_extra_peek (self);
  return extra != NULL && extra->name != NULL ? extra->name : _fcm_packed_text_get_key (&self->text);
}

/**
 * fcm_event_log_entry_get_event_id:
 *
 * Returns: (nullable): the event id, %NULL when the entry is not an event
 */
const char *
fcm_event_log_entry_get_event_id (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);
  return FCM_EVENT_LOG_ENTRY_ID (self);
}

/**
 * fcm_event_log_entry_count_issues:
 * @severity: the severity to count
 *
 * Returns: the number of issues of @severity
 */
guint
fcm_event_log_entry_count_issues (FcmEventLogEntry *self,
                                  FcmSeverity       severity)
{
  guint n = 0;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), 0);

  if (self->issues == NULL)
    return 0;
  for (guint i = 0; i < self->issues->n; i++)
    if (self->issues->items[i].severity == severity)
      n++;
  return n;
}

/**
 * fcm_event_log_entry_get_issues:
 *
 * Returns: (transfer none) (element-type FcmIssue):
 */
GPtrArray *
fcm_event_log_entry_get_issues (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  /* made only when asked for, and then kept */
  extra = entry_extra (self);
  if (extra->issues == NULL)
    {
      guint n = self->issues != NULL ? self->issues->n : 0;

      extra->issues = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        {
          FcmPackedIssue *p = &self->issues->items[i];

          g_ptr_array_add (extra->issues, fcm_issue_new (p->severity, p->rule, p->path, p->message));
        }
    }
  return extra->issues;
}

guint
fcm_event_log_entry_get_ack_status (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), 0);
  return self->ack_status;
}

void
fcm_event_log_entry_set_ack_status (FcmEventLogEntry *self,
                                    guint             status)
{
  g_return_if_fail (FCM_IS_EVENT_LOG_ENTRY (self));
  g_return_if_fail (status <= 999);

  if (self->ack_status == status)
    return;
  self->ack_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_ACK_STATUS]);
}

/**
 * fcm_event_log_entry_get_own_echo:
 *
 * Returns: %TRUE if the entry is the hub's echo of a request this client published (C-38)
 */
gboolean
fcm_event_log_entry_get_own_echo (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), FALSE);
  return self->own_echo;
}

void
fcm_event_log_entry_set_own_echo (FcmEventLogEntry *self,
                                  gboolean          own_echo)
{
  g_return_if_fail (FCM_IS_EVENT_LOG_ENTRY (self));

  own_echo = !!own_echo;
  if (self->own_echo == own_echo)
    return;
  self->own_echo = own_echo;
  g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_OWN_ECHO]);
}

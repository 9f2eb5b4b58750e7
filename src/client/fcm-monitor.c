/* fcm-monitor.c: one hub connection wired client → validator → event log → context store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Several monitors can run at once, one per hub (C-07).
 *
 * A frame reaches the monitor once, as the FcmMessage the client parsed
 * (FcmHubClient::message, before the ack): message_cb() validates that tree,
 * logs it and emits FcmMonitor::message. After the ack, its event comes back
 * as FcmHubClient::event and event_cb() applies it to the context store.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-monitor.h"
#include "fcm-client-marshal.h"
#include "fcm-event-log-private.h"

struct _FcmMonitor
{
  GObject parent_instance;

  FcmHubClient *client;
  FcmValidator *validator;
  FcmEventLog *event_log;
  FcmContextStore *context_store;
  FcmEvent *last_sync_error;
  /* C-66: sync counts as lost from a syncerror until an event at least as new as the
   * one that failed arrives */
  gint64 sync_threshold_usec;
  char *sync_failed_id;
  gboolean sync_lost;
  GCancellable *cancellable;
  gboolean refetching;
  /* A Get Current Context answer can predate events already applied (it was
   * answered before the hub took a request whose event overtook the answer):
   * count applied events, and note the count when a fetch starts. */
  guint n_applied;
  guint n_applied_at_fetch;
  gboolean refetch_again;
  /* while answers keep coming back older (a stream), ask less often */
  guint refetch_backoff_ms;
  guint refetch_id;
  /* for the timeline's notes of connection changes */
  FcmClientState last_state;
  gboolean was_live;
  /* fcm_monitor_set_log_enabled(FALSE): no log, only the timestamps of the
   * newest RECENT_MAX events (id → gint64*), for C-66 */
  gboolean log_disabled;
  GHashTable *recent;
  GQueue recent_order;      /* its keys, oldest first */
};

#define RECENT_MAX 1024

G_DEFINE_FINAL_TYPE (FcmMonitor, fcm_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_EVENT_LOG,
  PROP_CONTEXT_STORE,
  PROP_STATE,
  PROP_LAST_SYNC_ERROR,
  PROP_SYNC_LOST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Hot path (tests/bench/bench-client): the client parsed the frame once;
 * the validator and the event log read that same message. */
/* without the log: the event's timestamp, kept for a syncerror about it */
static void
remember_recent (FcmMonitor *self,
                 FcmEvent   *event)
{
  const char *id = fcm_event_get_id (event);
  gint64 *ts;
  char *key;

  if (id == NULL || g_hash_table_contains (self->recent, id))
    return;
  ts = g_new (gint64, 1);
  *ts = fcm_event_get_timestamp_usec (event);
  key = g_strdup (id);
  g_hash_table_insert (self->recent, key, ts);
  g_queue_push_tail (&self->recent_order, key);
  if (self->recent_order.length > RECENT_MAX)
    g_hash_table_remove (self->recent, g_queue_pop_head (&self->recent_order));
}

static void
message_cb (FcmHubClient *client,
            FcmMessage   *message,
            FcmMonitor   *self)
{
  g_autoptr(GPtrArray) issues = NULL;
  FcmEvent *event = fcm_message_get_event (message);

  issues = fcm_validator_validate_message (self->validator, message, NULL);
  if (self->log_disabled)
    {
      if (event != NULL && !fcm_event_has_name (event, FCM_EVENT_HEARTBEAT))
        remember_recent (self, event);
    }
  /* C-69: heartbeats feed liveness, not the timeline */
  else if (event == NULL || !fcm_event_has_name (event, FCM_EVENT_HEARTBEAT))
    {
      g_autoptr(FcmEventLogEntry) entry = fcm_event_log_entry_new_from_message (message, issues);

      /* C-38: the hub's echo of our own request is our confirmation, flag it */
      if (event != NULL && fcm_hub_client_is_own_request (client, fcm_event_get_id (event)))
        fcm_event_log_entry_set_own_echo (entry, TRUE);
      fcm_event_log_append (self->event_log, entry);
    }
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message, issues);
}

static void
ack_sent_cb (FcmHubClient *client,
             const char   *id,
             guint         status,
             FcmMonitor   *self)
{
  FcmEventLogEntry *entry = fcm_event_log_find_event (self->event_log, id);

  if (entry != NULL)
    fcm_event_log_entry_set_ack_status (entry, status);
}

static void refetch (FcmMonitor *self);

static void
refetch_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fcm_hub_client_get_context_finish (FCM_HUB_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  FCM_MONITOR (user_data)->refetching = FALSE;
  if (error != NULL)
    g_debug ("monitor: refetching the context failed: %s", error->message);
  /* on success the client's current-context notify loads it into the store */
  if (FCM_MONITOR (user_data)->refetch_again)
    refetch (FCM_MONITOR (user_data));
}

#define REFETCH_BACKOFF_FIRST_MS 100
#define REFETCH_BACKOFF_MAX_MS   5000

static void
refetch_now (FcmMonitor *self)
{
  self->refetching = TRUE;
  self->refetch_again = FALSE;
  self->n_applied_at_fetch = self->n_applied;
  fcm_hub_client_get_context_async (self->client, self->cancellable, refetch_cb, self);
}

static gboolean
refetch_timeout_cb (gpointer user_data)
{
  FcmMonitor *self = user_data;

  self->refetch_id = 0;
  if (!self->refetching)
    refetch_now (self);
  return G_SOURCE_REMOVE;
}

/* C-33, C-54: ask the hub for the current context; one fetch at a time,
 * one more after it if asked meanwhile. While the answers keep coming back
 * older than the events applied in the meantime (a stream of events: every
 * answer is stale on arrival), the next is asked for only after a delay
 * that doubles from 100 ms to 5 s: under 2,000 events/s the monitor asked
 * again at once after every answer, a request per round trip for as long as
 * the stream went on (issue 15.1). A usable answer resets the delay. */
static void
refetch (FcmMonitor *self)
{
  if (self->refetching)
    {
      self->refetch_again = TRUE;
      return;
    }
  if (self->refetch_id != 0)
    return;
  if (self->refetch_backoff_ms > 0)
    self->refetch_id = g_timeout_add (self->refetch_backoff_ms, refetch_timeout_cb, self);
  else
    refetch_now (self);
}

static void
set_sync_lost (FcmMonitor *self,
               gboolean    sync_lost)
{
  if (self->sync_lost == sync_lost)
    return;
  self->sync_lost = sync_lost;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_LOST]);
}

static void
event_cb (FcmHubClient *client,
          FcmEvent     *event,
          FcmMonitor   *self)
{
  g_autoptr(GError) error = NULL;
  FcmContextResult result;

  /* C-66: an event at least as new as the failed one (and not a resend of it) restores sync */
  if (self->sync_lost &&
      g_strcmp0 (fcm_event_get_id (event), self->sync_failed_id) != 0 &&
      fcm_event_get_timestamp_usec (event) >= self->sync_threshold_usec)
    set_sync_lost (self, FALSE);

  /* the store still sees our own echo (C-38; it ignores duplicates) … */
  result = fcm_context_store_apply (self->context_store, event, &error);
  if (result == FCM_CONTEXT_APPLIED)
    self->n_applied++;
  if (result == FCM_CONTEXT_REJECTED)
    g_debug ("monitor: event not applied: %s", error ? error->message : "");
  /* C-33 / C-54: a version gap (or a close) → Get Current Context; but the echo of our own
   * close is our confirmation, not a new context change to react to (C-38, no loops) */
  if (fcm_context_store_get_stale (self->context_store) ||
      (fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE) &&
       !fcm_hub_client_is_own_request (client, fcm_event_get_id (event))))
    refetch (self);
}

static void
syncerror_cb (FcmHubClient *client,
              FcmEvent     *event,
              FcmMonitor   *self)
{
  const char *failed_id = NULL;
  FcmEventLogEntry *failed;
  FcmEvent *failed_event = NULL;
  const gint64 *failed_ts;

  /* C-67: the hub may resend a syncerror; a copy changes nothing */
  if (self->last_sync_error != NULL &&
      g_strcmp0 (fcm_event_get_id (self->last_sync_error), fcm_event_get_id (event)) == 0)
    return;

  fcm_event_get_syncerror_details (event, &failed_id, NULL, NULL, NULL);
  failed = failed_id != NULL ? fcm_event_log_find_event (self->event_log, failed_id) : NULL;
  if (failed != NULL)
    failed_event = fcm_event_log_entry_get_event (failed);
  failed_ts = failed_id != NULL && self->log_disabled ? g_hash_table_lookup (self->recent, failed_id) : NULL;

  g_free (self->sync_failed_id);
  self->sync_failed_id = g_strdup (failed_id);
  /* C-66: the failed event's timestamp, or the syncerror's own when we never saw it */
  if (failed_event != NULL)
    self->sync_threshold_usec = fcm_event_get_timestamp_usec (failed_event);
  else if (failed_ts != NULL)
    self->sync_threshold_usec = *failed_ts;
  else
    self->sync_threshold_usec = fcm_event_get_timestamp_usec (event);

  g_set_object (&self->last_sync_error, event);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC_ERROR]);
  set_sync_lost (self, TRUE);
}

static void
context_cb (FcmHubClient *client,
            GParamSpec   *pspec,
            FcmMonitor   *self)
{
  JsonNode *node = fcm_hub_client_get_current_context (client);
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    return;
  /* Events applied while the fetch was under way are newer than its answer:
   * loading it would undo them. Ask again instead (converges once quiet). */
  if (self->n_applied != self->n_applied_at_fetch)
    {
      self->refetch_backoff_ms = self->refetch_backoff_ms == 0
                                 ? REFETCH_BACKOFF_FIRST_MS
                                 : MIN (self->refetch_backoff_ms * 2, REFETCH_BACKOFF_MAX_MS);
      g_debug ("monitor: context answer older than %u applied events, fetching again in %u ms",
               self->n_applied - self->n_applied_at_fetch, self->refetch_backoff_ms);
      refetch (self);
      return;
    }
  self->refetch_backoff_ms = 0;
  /* C-53: replace what we know with the hub's answer */
  if (!fcm_context_store_load_current (self->context_store, node, &error))
    g_debug ("monitor: current context not loaded: %s", error->message);
}

static gboolean
state_is_live (FcmClientState state)
{
  return state == FCM_CLIENT_STATE_ACTIVE || state == FCM_CLIENT_STATE_RENEWING;
}

/* Connect, loss, resubscription and the end as rows of the timeline, among
 * the messages: what happened to the subscription, and when. */
static void
note_state (FcmMonitor     *self,
            FcmClientState  previous,
            FcmClientState  state)
{
  const char *note = _fcm_event_log_note_for_state (previous, state, self->was_live);

  if (note != NULL && !self->log_disabled)
    {
      g_autoptr(FcmEventLogEntry) entry = fcm_event_log_entry_new_note (note, NULL);

      fcm_event_log_append (self->event_log, entry);
    }
  if (state_is_live (state))
    self->was_live = TRUE;
}

static void
state_cb (FcmHubClient *client,
          GParamSpec   *pspec,
          FcmMonitor   *self)
{
  FcmClientState state = fcm_hub_client_get_state (client);

  note_state (self, self->last_state, state);
  self->last_state = state;

  switch (state)
    {
    case FCM_CLIENT_STATE_RECONNECTING:
    case FCM_CLIENT_STATE_DENIED:
    case FCM_CLIENT_STATE_ERROR:
    case FCM_CLIENT_STATE_DISCONNECTED:
      /* C-68: show that sync is lost */
      fcm_context_store_set_disconnected (self->context_store, TRUE);
      break;
    case FCM_CLIENT_STATE_ACTIVE:
      /* the client fetches the current context on confirmation (C-22, C-52) */
      if (!self->refetching)
        self->n_applied_at_fetch = self->n_applied;
      fcm_context_store_set_disconnected (self->context_store, FALSE);
      break;
    case FCM_CLIENT_STATE_SUBSCRIBING:
    case FCM_CLIENT_STATE_CONNECTING:
    case FCM_CLIENT_STATE_RENEWING:
    default:
      break;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
fcm_monitor_constructed (GObject *object)
{
  FcmMonitor *self = FCM_MONITOR (object);

  G_OBJECT_CLASS (fcm_monitor_parent_class)->constructed (object);

  g_return_if_fail (FCM_IS_HUB_CLIENT (self->client));

  g_signal_connect_object (self->client, "message", G_CALLBACK (message_cb), self, 0);
  g_signal_connect_object (self->client, "ack-sent", G_CALLBACK (ack_sent_cb), self, 0);
  g_signal_connect_object (self->client, "event", G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (self->client, "syncerror", G_CALLBACK (syncerror_cb), self, 0);
  g_signal_connect_object (self->client, "notify::state", G_CALLBACK (state_cb), self, 0);
  g_signal_connect_object (self->client, "notify::current-context", G_CALLBACK (context_cb), self, 0);
}

static void
fcm_monitor_dispose (GObject *object)
{
  FcmMonitor *self = FCM_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refetch_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->last_sync_error);

  G_OBJECT_CLASS (fcm_monitor_parent_class)->dispose (object);
}

static void
fcm_monitor_finalize (GObject *object)
{
  FcmMonitor *self = FCM_MONITOR (object);

  g_clear_object (&self->validator);
  g_clear_object (&self->event_log);
  g_clear_object (&self->context_store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sync_failed_id, g_free);
  g_queue_clear (&self->recent_order);   /* the keys are the table's */
  g_clear_pointer (&self->recent, g_hash_table_unref);

  G_OBJECT_CLASS (fcm_monitor_parent_class)->finalize (object);
}

static void
fcm_monitor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FcmMonitor *self = FCM_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_EVENT_LOG:
      g_value_set_object (value, self->event_log);
      break;
    case PROP_CONTEXT_STORE:
      g_value_set_object (value, self->context_store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, fcm_monitor_get_state (self));
      break;
    case PROP_LAST_SYNC_ERROR:
      g_value_set_object (value, self->last_sync_error);
      break;
    case PROP_SYNC_LOST:
      g_value_set_boolean (value, self->sync_lost);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_monitor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  FcmMonitor *self = FCM_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_monitor_class_init (FcmMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = fcm_monitor_constructed;
  object_class->dispose = fcm_monitor_dispose;
  object_class->finalize = fcm_monitor_finalize;
  object_class->get_property = fcm_monitor_get_property;
  object_class->set_property = fcm_monitor_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FCM_TYPE_HUB_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT_LOG] =
    g_param_spec_object ("event-log", NULL, NULL, FCM_TYPE_EVENT_LOG, ro);
  properties[PROP_CONTEXT_STORE] =
    g_param_spec_object ("context-store", NULL, NULL, FCM_TYPE_CONTEXT_STORE, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FCM_TYPE_CLIENT_STATE,
                       FCM_CLIENT_STATE_DISCONNECTED, ro);
  properties[PROP_LAST_SYNC_ERROR] =
    g_param_spec_object ("last-sync-error", NULL, NULL, FCM_TYPE_EVENT, ro);
  /**
   * FcmMonitor:sync-lost:
   *
   * %TRUE from a syncerror until sync is restored (C-66): an event arrives whose
   * timestamp is at least that of the event that failed. Connection loss is the
   * #FcmMonitor:state, not this.
   */
  properties[PROP_SYNC_LOST] =
    g_param_spec_boolean ("sync-lost", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FcmMonitor::message:
   * @message: (transfer none): a frame received from the hub (ref it to keep it)
   * @issues: (transfer none) (element-type FcmIssue): what the validator found in it
   *
   * Every frame, once it is validated and logged (heartbeats are validated
   * but not logged, C-69), before the client acks it: the view of one
   * subscriber's traffic that `fhircast watch` prints.
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, _fcm_client_marshal_VOID__BOXED_BOXED, G_TYPE_NONE, 2,
                  FCM_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[SIGNAL_MESSAGE], G_TYPE_FROM_CLASS (klass),
                              _fcm_client_marshal_VOID__BOXED_BOXEDv);
}

static void
fcm_monitor_init (FcmMonitor *self)
{
  self->validator = fcm_validator_new ();
  fcm_validator_set_role (self->validator, FCM_VALIDATOR_ROLE_NOTIFICATION);
  self->event_log = fcm_event_log_new ();
  self->context_store = fcm_context_store_new ();
  self->cancellable = g_cancellable_new ();
  self->recent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * fcm_monitor_set_log_enabled:
 * @self: a #FcmMonitor
 * @enabled: whether messages go into the event log (the default)
 *
 * `fhircast watch` prints every message itself and shows no timeline: it
 * does without the log, whose zstd compression was a sixth of its time per
 * event. Without it the monitor keeps only the timestamps of the newest
 * 1,024 events, for a syncerror about one of them (C-66).
 */
void
fcm_monitor_set_log_enabled (FcmMonitor *self,
                             gboolean    enabled)
{
  g_return_if_fail (FCM_IS_MONITOR (self));

  self->log_disabled = !enabled;
}

FcmMonitor *
fcm_monitor_new (FcmHubClient *client)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (client), NULL);

  return g_object_new (FCM_TYPE_MONITOR, "client", client, NULL);
}

/**
 * fcm_monitor_get_client:
 *
 * Returns: (transfer none):
 */
FcmHubClient *
fcm_monitor_get_client (FcmMonitor *self)
{
  g_return_val_if_fail (FCM_IS_MONITOR (self), NULL);
  return self->client;
}

/**
 * fcm_monitor_get_event_log:
 *
 * Returns: (transfer none):
 */
FcmEventLog *
fcm_monitor_get_event_log (FcmMonitor *self)
{
  g_return_val_if_fail (FCM_IS_MONITOR (self), NULL);
  return self->event_log;
}

/**
 * fcm_monitor_get_context_store:
 *
 * Returns: (transfer none):
 */
FcmContextStore *
fcm_monitor_get_context_store (FcmMonitor *self)
{
  g_return_val_if_fail (FCM_IS_MONITOR (self), NULL);
  return self->context_store;
}

FcmClientState
fcm_monitor_get_state (FcmMonitor *self)
{
  g_return_val_if_fail (FCM_IS_MONITOR (self), FCM_CLIENT_STATE_DISCONNECTED);
  return self->client ? fcm_hub_client_get_state (self->client) : FCM_CLIENT_STATE_DISCONNECTED;
}

/**
 * fcm_monitor_get_last_sync_error:
 *
 * Returns: (transfer none) (nullable): the last syncerror received (C-63)
 */
FcmEvent *
fcm_monitor_get_last_sync_error (FcmMonitor *self)
{
  g_return_val_if_fail (FCM_IS_MONITOR (self), NULL);
  return self->last_sync_error;
}

/**
 * fcm_monitor_get_sync_lost:
 *
 * Returns: whether a syncerror was received and sync is not restored yet (C-66)
 */
gboolean
fcm_monitor_get_sync_lost (FcmMonitor *self)
{
  g_return_val_if_fail (FCM_IS_MONITOR (self), FALSE);
  return self->sync_lost;
}

/**
 * fcm_monitor_dismiss_sync_error:
 *
 * The user acknowledged the alert: sync counts as restored.
 */
void
fcm_monitor_dismiss_sync_error (FcmMonitor *self)
{
  g_return_if_fail (FCM_IS_MONITOR (self));
  set_sync_lost (self, FALSE);
}

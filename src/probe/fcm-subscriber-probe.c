/* fcm-subscriber-probe.c: a hub that misbehaves on purpose, to test subscribers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-subscriber-probe-private.h"

/**
 * FcmSubscriberProbe:
 *
 * Runs a small hub of its own (fcm_subscriber_probe_get_hub_url(), one
 * topic) and, one scenario at a time, checks what the app subscribed to it
 * does: acks, subscriber.name, lease renewal, malformed, oversized and
 * duplicate frames, refetching the context, reconnecting, denial, a
 * rejected request, unsubscribing.
 *
 * Every scenario works on a subscription of its own. With a command
 * (`--command`), the probe starts it for each scenario, with `{hub}` and
 * `{topic}` replaced, and stops it with SIGTERM at the end. Without one it
 * asks through #FcmSubscriberProbe::action-requested (connect, disconnect,
 * publish) and closes the app's socket with 1012 after each scenario, so
 * that an app that reconnects by itself (C-68) is ready for the next.
 */

G_DEFINE_FINAL_TYPE (FcmSubscriberProbe, fcm_subscriber_probe, FCM_TYPE_PROBE)

enum {
  SIGNAL_ACTION_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How long the teardown waits for the command to exit after SIGTERM. */
#define STOP_TIMEOUT_MS 3000

GType
fcm_subscriber_probe_action_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { FCM_SUBSCRIBER_PROBE_ACTION_CONNECT, "FCM_SUBSCRIBER_PROBE_ACTION_CONNECT", "connect" },
        { FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT, "FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT", "disconnect" },
        { FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH, "FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH", "publish" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("FcmSubscriberProbeAction"), values);

      g_once_init_leave (&type_id, id);
    }
  return type_id;
}

static void
request_free (gpointer data)
{
  FcmSpRequest *request = data;

  g_free (request->id);
  g_free (request->event);
  g_free (request->timestamp);
  g_free (request);
}

FcmSubscriberProbe *
fcm_sp_probe (FcmProbeCtx *ctx)
{
  return FCM_SUBSCRIBER_PROBE (ctx->probe);
}

void
fcm_sp_poke (FcmSubscriberProbe *self)
{
  fcm_probe_ctx_poke (fcm_probe_get_current_ctx (FCM_PROBE (self)));
}

/* Evidence of the scenario in progress (nothing between scenarios). */
void
fcm_sp_evidence (FcmSubscriberProbe *self,
                 const char         *format,
                 ...)
{
  FcmProbeCtx *ctx = fcm_probe_get_current_ctx (FCM_PROBE (self));
  g_autofree char *text = NULL;
  va_list ap;

  if (ctx == NULL || ctx->finished)
    return;
  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  fcm_probe_evidence (ctx, "%s", text);
}

gboolean
fcm_sp_has_command (FcmSubscriberProbe *self)
{
  return self->command != NULL;
}

double
fcm_sp_connect_timeout (FcmSubscriberProbe *self)
{
  if (self->connect_timeout_set)
    return self->connect_timeout;
  return self->command != NULL ? MAX (10, 2 * fcm_probe_get_timeout (FCM_PROBE (self))) : 60;
}

/* -------------------------------------------------------------- the command */

static void
process_exited_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FcmSubscriberProbe) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);

  if (!g_subprocess_wait_finish (process, result, NULL))
    return;
  if (process != self->process)
    return;
  self->process_exited = TRUE;
  if (g_subprocess_get_if_exited (process))
    fcm_sp_evidence (self, "⇄ the command exited with status %d", g_subprocess_get_exit_status (process));
  else
    fcm_sp_evidence (self, "⇄ the command ended by signal %d", g_subprocess_get_term_sig (process));
  fcm_sp_poke (self);
}

static void
spawn_command (FcmSubscriberProbe *self)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE;

  if (g_getenv ("FHIRCAST_PROBE_DEBUG") == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  for (guint i = 0; self->command[i] != NULL; i++)
    {
      GString *arg = g_string_new (self->command[i]);

      g_string_replace (arg, "{hub}", self->hub_url, 0);
      g_string_replace (arg, "{topic}", self->topic, 0);
      g_ptr_array_add (argv, g_string_free (arg, FALSE));
    }
  g_ptr_array_add (argv, NULL);
  shown = g_strjoinv (" ", (char **) argv->pdata);

  g_clear_pointer (&self->spawn_error, g_free);
  g_clear_object (&self->process);
  self->process_stopping = FALSE;
  self->process_exited = FALSE;
  self->process = g_subprocess_newv ((const char * const *) argv->pdata, flags, &error);
  if (self->process == NULL)
    {
      self->spawn_error = g_strdup (error->message);
      return;
    }
  fcm_sp_evidence (self, "⇄ started %s", shown);
  g_subprocess_wait_async (self->process, NULL, process_exited_cb, g_object_ref (self));
}

static void
stop_command (FcmSubscriberProbe *self)
{
  if (self->process == NULL || self->process_exited || self->process_stopping)
    return;
  self->process_stopping = TRUE;
  fcm_sp_evidence (self, "⇄ SIGTERM to the command");
  g_subprocess_send_signal (self->process, SIGTERM);
}

/**
 * fcm_sp_request_action:
 *
 * Asks for what the scenario needs from the app: through the command
 * (start, SIGTERM) or #FcmSubscriberProbe::action-requested.
 */
void
fcm_sp_request_action (FcmProbeCtx              *ctx,
                       FcmSubscriberProbeAction  action)
{
  FcmSubscriberProbe *self = fcm_sp_probe (ctx);
  g_autofree char *text = NULL;

  if (self->command != NULL)
    {
      if (action == FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT)
        stop_command (self);
      return;
    }
  switch (action)
    {
    case FCM_SUBSCRIBER_PROBE_ACTION_CONNECT:
      text = g_strdup_printf (_("Connect the app: hub.url %s, hub.topic %s"), self->hub_url, self->topic);
      break;
    case FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT:
      text = g_strdup (_("Disconnect the app normally (it should unsubscribe)"));
      break;
    case FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH:
      text = g_strdup (_("Make the app request a context change, for example open a report"));
      break;
    default:
      return;
    }
  fcm_probe_evidence (ctx, "⇄ %s", text);
  g_signal_emit (self, signals[SIGNAL_ACTION_REQUESTED], 0, action, text);
}

/* ----------------------------------------------------------- the runner */

static void
fcm_subscriber_probe_prepare_async (FcmProbe            *probe,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  FcmSubscriberProbe *self = FCM_SUBSCRIBER_PROBE (probe);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  if (!fcm_sp_hub_listen (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
fcm_subscriber_probe_prepare_finish (FcmProbe      *probe,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fcm_subscriber_probe_setup (FcmProbe    *probe,
                            FcmProbeCtx *ctx)
{
  FcmSubscriberProbe *self = FCM_SUBSCRIBER_PROBE (probe);

  ctx->topic = g_strdup (self->topic);
  self->grant_lease = (ctx->scenario->flags & FCM_PROBE_SCENARIO_SHORT_LEASE) ? self->lease : 0;
  self->reject_requests = (ctx->scenario->flags & FCM_PROBE_SCENARIO_PUBLISH) != 0;
  g_array_set_size (self->gets, 0);
  g_ptr_array_set_size (self->requests, 0);
  fcm_sp_open_context (self);

  if (self->command != NULL)
    spawn_command (self);
  else if (fcm_sp_find_unclaimed (self, FALSE) == NULL)
    fcm_sp_request_action (ctx, FCM_SUBSCRIBER_PROBE_ACTION_CONNECT);
}

typedef struct
{
  FcmSubscriberProbe *self;
  guint               timeout_id;
  gboolean            killed;
} Teardown;

static void
teardown_free (gpointer data)
{
  Teardown *td = data;

  g_clear_handle_id (&td->timeout_id, g_source_remove);
  g_free (td);
}

/* Closes every socket still up and retires every subscription so far: the
 * next scenario starts on a new subscription. */
static void
finish_teardown (GTask *task)
{
  Teardown *td = g_task_get_task_data (task);
  FcmSubscriberProbe *self = td->self;

  g_clear_handle_id (&td->timeout_id, g_source_remove);
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      FcmSpSub *sub = g_ptr_array_index (self->subscriptions, i);

      if (sub->retired && sub->closed)
        continue;
      /* 1012: service restart; the app may (and should, C-68) come back */
      if (self->command != NULL)
        fcm_sp_close (sub, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "probe scenario over");
      else
        fcm_sp_close (sub, 1012, "next probe scenario");
      sub->retired = TRUE;
    }
  g_clear_object (&self->process);
  g_task_return_boolean (task, TRUE);
}

static void
teardown_exited_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Teardown *td = g_task_get_task_data (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (td->timeout_id == 0 && !td->killed)
    return;                   /* already finished */
  finish_teardown (task);
}

static gboolean
teardown_timeout_cb (gpointer data)
{
  GTask *task = data;
  Teardown *td = g_task_get_task_data (task);

  td->timeout_id = 0;
  if (td->self->process != NULL && !td->killed)
    {
      /* it did not stop on SIGTERM: kill it, the exit callback finishes */
      td->killed = TRUE;
      g_subprocess_force_exit (td->self->process);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_REMOVE;
}

static void
fcm_subscriber_probe_teardown_async (FcmProbe            *probe,
                                     FcmProbeCtx         *ctx,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  FcmSubscriberProbe *self = FCM_SUBSCRIBER_PROBE (probe);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  Teardown *td = g_new0 (Teardown, 1);

  td->self = self;
  g_task_set_task_data (task, td, teardown_free);
  if (self->process != NULL && !self->process_exited)
    {
      stop_command (self);
      td->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, STOP_TIMEOUT_MS, teardown_timeout_cb,
                                           g_object_ref (task), g_object_unref);
      g_subprocess_wait_async (self->process, NULL, teardown_exited_cb, g_object_ref (task));
      return;
    }
  finish_teardown (task);
}

static void
fcm_subscriber_probe_finished (FcmProbe *probe)
{
  FcmSubscriberProbe *self = FCM_SUBSCRIBER_PROBE (probe);

  if (self->process != NULL && !self->process_exited)
    g_subprocess_force_exit (self->process);
  g_clear_object (&self->process);
}

/* ---------------------------------------------------------------- class */

static void
fcm_subscriber_probe_dispose (GObject *object)
{
  FcmSubscriberProbe *self = FCM_SUBSCRIBER_PROBE (object);

  if (self->process != NULL && !self->process_exited)
    g_subprocess_force_exit (self->process);
  g_clear_object (&self->process);
  fcm_sp_hub_stop (self);

  G_OBJECT_CLASS (fcm_subscriber_probe_parent_class)->dispose (object);
}

static void
fcm_subscriber_probe_finalize (GObject *object)
{
  FcmSubscriberProbe *self = FCM_SUBSCRIBER_PROBE (object);

  g_clear_pointer (&self->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&self->gets, g_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->command, g_strfreev);
  g_free (self->host);
  g_free (self->hub_url);
  g_free (self->ws_base);
  g_free (self->topic);
  g_free (self->spawn_error);
  g_free (self->report);
  g_free (self->patient);
  g_free (self->study);
  g_free (self->open_id);
  g_free (self->open_timestamp);
  g_free (self->version);

  G_OBJECT_CLASS (fcm_subscriber_probe_parent_class)->finalize (object);
}

static void
fcm_subscriber_probe_class_init (FcmSubscriberProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FcmProbeClass *probe_class = FCM_PROBE_CLASS (klass);

  object_class->dispose = fcm_subscriber_probe_dispose;
  object_class->finalize = fcm_subscriber_probe_finalize;

  probe_class->kind = "subscriber";
  probe_class->scenarios = fcm_probe_subscriber_scenarios;
  probe_class->n_scenarios = fcm_probe_subscriber_n_scenarios;
  probe_class->prepare_async = fcm_subscriber_probe_prepare_async;
  probe_class->prepare_finish = fcm_subscriber_probe_prepare_finish;
  probe_class->setup = fcm_subscriber_probe_setup;
  probe_class->teardown_async = fcm_subscriber_probe_teardown_async;
  probe_class->finished = fcm_subscriber_probe_finished;

  /**
   * FcmSubscriberProbe::action-requested:
   * @action: a #FcmSubscriberProbeAction
   * @instructions: what to do, translated, for a person
   *
   * The scenario needs the app under test to do something (only without a
   * command).
   */
  signals[SIGNAL_ACTION_REQUESTED] =
    g_signal_new ("action-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, FCM_TYPE_SUBSCRIBER_PROBE_ACTION, G_TYPE_STRING);
}

static void
fcm_subscriber_probe_init (FcmSubscriberProbe *self)
{
  g_autofree char *uuid = g_uuid_string_random ();

  self->host = g_strdup ("127.0.0.1");
  self->lease = 3;
  self->connect_timeout = 60;
  self->topic = g_strconcat ("fhircast-probe-", uuid, NULL);
  self->subscriptions = g_ptr_array_new_with_free_func (fcm_sp_sub_free);
  self->gets = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->requests = g_ptr_array_new_with_free_func (request_free);
}

FcmSubscriberProbe *
fcm_subscriber_probe_new (void)
{
  return g_object_new (FCM_TYPE_SUBSCRIBER_PROBE, NULL);
}

/**
 * fcm_subscriber_probe_set_host:
 * @host: (nullable): the IP address to listen on (default 127.0.0.1)
 */
void
fcm_subscriber_probe_set_host (FcmSubscriberProbe *self,
                               const char         *host)
{
  g_return_if_fail (FCM_IS_SUBSCRIBER_PROBE (self));

  g_free (self->host);
  self->host = g_strdup (host != NULL ? host : "127.0.0.1");
}

/**
 * fcm_subscriber_probe_set_port:
 * @port: the port to listen on; 0 (default) for any free one
 */
void
fcm_subscriber_probe_set_port (FcmSubscriberProbe *self,
                               guint               port)
{
  g_return_if_fail (FCM_IS_SUBSCRIBER_PROBE (self));
  self->port = MIN (port, 65535);
}

/**
 * fcm_subscriber_probe_listen:
 *
 * Starts the probe's hub now (fcm_probe_run_async() does it otherwise), so
 * that its URL can be shown before the run.
 */
gboolean
fcm_subscriber_probe_listen (FcmSubscriberProbe  *self,
                             GError             **error)
{
  g_return_val_if_fail (FCM_IS_SUBSCRIBER_PROBE (self), FALSE);
  return fcm_sp_hub_listen (self, error);
}

/**
 * fcm_subscriber_probe_get_hub_url:
 *
 * Returns: (nullable): hub.url to point the app at, once listening
 */
const char *
fcm_subscriber_probe_get_hub_url (FcmSubscriberProbe *self)
{
  g_return_val_if_fail (FCM_IS_SUBSCRIBER_PROBE (self), NULL);
  return self->hub_url;
}

/**
 * fcm_subscriber_probe_get_topic:
 *
 * Returns: the one hub.topic the probe's hub serves
 */
const char *
fcm_subscriber_probe_get_topic (FcmSubscriberProbe *self)
{
  g_return_val_if_fail (FCM_IS_SUBSCRIBER_PROBE (self), NULL);
  return self->topic;
}

/**
 * fcm_subscriber_probe_set_command:
 * @command: (nullable): a command line (shell quoting rules, no shell) in
 *   which `{hub}` and `{topic}` are replaced; started for every scenario
 *
 * Returns: %FALSE if @command cannot be parsed
 */
gboolean
fcm_subscriber_probe_set_command (FcmSubscriberProbe  *self,
                                  const char          *command,
                                  GError             **error)
{
  g_auto(GStrv) argv = NULL;

  g_return_val_if_fail (FCM_IS_SUBSCRIBER_PROBE (self), FALSE);

  if (command != NULL && !g_shell_parse_argv (command, NULL, &argv, error))
    return FALSE;
  g_strfreev (self->command);
  self->command = g_steal_pointer (&argv);
  return TRUE;
}

/**
 * fcm_subscriber_probe_set_lease:
 * @seconds: the lease granted in the `renew` scenario (default 3)
 */
void
fcm_subscriber_probe_set_lease (FcmSubscriberProbe *self,
                                guint               seconds)
{
  g_return_if_fail (FCM_IS_SUBSCRIBER_PROBE (self));
  self->lease = CLAMP (seconds, 1, 3600);
}

/**
 * fcm_subscriber_probe_set_connect_timeout:
 * @seconds: how long a scenario waits for the app to subscribe (default 60,
 *   or 10 with a command)
 */
void
fcm_subscriber_probe_set_connect_timeout (FcmSubscriberProbe *self,
                                          double              seconds)
{
  g_return_if_fail (FCM_IS_SUBSCRIBER_PROBE (self));
  self->connect_timeout = CLAMP (seconds, 0.1, 3600);
  self->connect_timeout_set = TRUE;
}

/* fcm-probe-runner.c: runs the scenarios of a probe one after the other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-probe-private.h"

/**
 * FcmProbe:
 *
 * The base of #FcmHubProbe and #FcmSubscriberProbe. fcm_probe_run_async()
 * runs the selected scenarios in order on the thread-default main context;
 * each one ends with #FcmProbe::scenario-finished and an #FcmProbeResult
 * appended to fcm_probe_get_results(). Cancelling stops the run after the
 * current operation; the results so far stay.
 */

typedef struct
{
  char         *secret;
  char         *replacement;
} Secret;

typedef struct
{
  SoupSession  *session;
  char         *token;
  double        timeout;
  double        window;
  GPtrArray    *secrets;        /* Secret, longest first */
  GHashTable   *only;           /* scenario ids, NULL = all */
  GListStore   *results;
  GTask        *task;           /* the run in progress */
  FcmProbeCtx  *ctx;            /* the scenario in progress */
  guint         next;           /* index of the next scenario */
} FcmProbePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FcmProbe, fcm_probe, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_TIMEOUT,
  N_PROPS
};

enum {
  SIGNAL_SCENARIO_STARTED,
  SIGNAL_SCENARIO_FINISHED,
  SIGNAL_EVIDENCE_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (fcm-probe-error-quark, fcm_probe_error)

static void run_next (FcmProbe *self);

static void
secret_free (gpointer data)
{
  Secret *s = data;

  g_free (s->secret);
  g_free (s->replacement);
  g_free (s);
}

static void
fcm_probe_dispose (GObject *object)
{
  FcmProbe *self = FCM_PROBE (object);
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  g_clear_pointer (&priv->ctx, fcm_probe_ctx_free);
  if (priv->session != NULL)
    soup_session_abort (priv->session);
  g_clear_object (&priv->session);
  g_clear_object (&priv->task);

  G_OBJECT_CLASS (fcm_probe_parent_class)->dispose (object);
}

static void
fcm_probe_finalize (GObject *object)
{
  FcmProbe *self = FCM_PROBE (object);
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  if (priv->token != NULL)
    memset (priv->token, 0, strlen (priv->token));
  g_clear_pointer (&priv->token, g_free);
  g_clear_pointer (&priv->secrets, g_ptr_array_unref);
  g_clear_pointer (&priv->only, g_hash_table_unref);
  g_clear_object (&priv->results);

  G_OBJECT_CLASS (fcm_probe_parent_class)->finalize (object);
}

static void
fcm_probe_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FcmProbe *self = FCM_PROBE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, fcm_probe_get_running (self));
      break;
    case PROP_TIMEOUT:
      g_value_set_double (value, fcm_probe_get_timeout (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_probe_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FcmProbe *self = FCM_PROBE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      fcm_probe_set_timeout (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_probe_class_init (FcmProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fcm_probe_dispose;
  object_class->finalize = fcm_probe_finalize;
  object_class->get_property = fcm_probe_get_property;
  object_class->set_property = fcm_probe_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * FcmProbe:timeout:
   *
   * Seconds to wait for something the peer must do (an answer, a frame, an
   * ack, a request). Negative checks ("nothing arrives") wait a shorter
   * window (fcm_probe_set_window()).
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, 0.05, 3600, 5,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FcmProbe::scenario-started:
   * @id: the scenario id
   * @title: its translated title
   */
  signals[SIGNAL_SCENARIO_STARTED] =
    g_signal_new ("scenario-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * FcmProbe::scenario-finished:
   * @result: the #FcmProbeResult (also appended to the results model)
   */
  signals[SIGNAL_SCENARIO_FINISHED] =
    g_signal_new ("scenario-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_PROBE_RESULT);
  /**
   * FcmProbe::evidence-added:
   * @id: the id of the scenario in progress
   * @line: the evidence just added to its result (one line as a rule),
   *   redacted as there
   *
   * Lets a window show what a long scenario is doing (for example waiting
   * for the app under test) before #FcmProbe::scenario-finished.
   */
  signals[SIGNAL_EVIDENCE_ADDED] =
    g_signal_new ("evidence-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
fcm_probe_init (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  priv->timeout = 5;
  priv->window = 0.5;
  priv->secrets = g_ptr_array_new_with_free_func (secret_free);
  priv->results = g_list_store_new (FCM_TYPE_PROBE_RESULT);
  priv->session = soup_session_new_with_options ("max-conns-per-host", 32,
                                                 "idle-timeout", 10,
                                                 NULL);
  soup_session_set_user_agent (priv->session, "fhircast-probe/" PACKAGE_VERSION);
}

const char *
fcm_probe_get_kind (FcmProbe *self)
{
  return FCM_PROBE_GET_CLASS (self)->kind;
}

SoupSession *
fcm_probe_get_session (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  return priv->session;
}

const char *
fcm_probe_get_token (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  return priv->token;
}

void
fcm_probe_set_token_internal (FcmProbe   *self,
                              const char *token)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  if (priv->token != NULL)
    memset (priv->token, 0, strlen (priv->token));
  g_free (priv->token);
  priv->token = (token != NULL && token[0] != '\0') ? g_strdup (token) : NULL;
  if (priv->token != NULL)
    fcm_probe_add_secret (self, priv->token, 0);
}

void
fcm_probe_emit_evidence_added (FcmProbe    *self,
                               const char  *scenario_id,
                               const char  *line)
{
  g_signal_emit (self, signals[SIGNAL_EVIDENCE_ADDED], 0, scenario_id, line);
}

FcmProbeCtx *
fcm_probe_get_current_ctx (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  return priv->ctx;
}

/* --------------------------------------------------------------- redaction */

static gint
secret_longer_first (gconstpointer a,
                     gconstpointer b)
{
  const Secret *sa = *(const Secret * const *) a;
  const Secret *sb = *(const Secret * const *) b;
  gsize la = strlen (sa->secret), lb = strlen (sb->secret);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/**
 * fcm_probe_add_secret:
 * @secret: text that must never be printed in full
 * @keep: how many leading characters may be shown (0 for a token)
 *
 * Every later evidence line and message shows @secret as its first @keep
 * characters followed by "…".
 */
void
fcm_probe_add_secret (FcmProbe   *self,
                      const char *secret,
                      guint       keep)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  g_autofree char *head = NULL;
  const char *end;
  Secret *s;

  /* a token is hidden however short; an id only when it can be told apart */
  if (secret == NULL || secret[0] == '\0' || (keep > 0 && strlen (secret) < 4))
    return;
  for (guint i = 0; i < priv->secrets->len; i++)
    if (g_str_equal (((Secret *) g_ptr_array_index (priv->secrets, i))->secret, secret))
      return;
  s = g_new0 (Secret, 1);
  s->secret = g_strdup (secret);
  /* never more than a quarter of it */
  keep = MIN (keep, (guint) g_utf8_strlen (secret, -1) / 4);
  end = g_utf8_offset_to_pointer (secret, keep);
  head = g_strndup (secret, end - secret);
  s->replacement = g_strconcat (head, "…", NULL);
  g_ptr_array_add (priv->secrets, s);
  g_ptr_array_sort (priv->secrets, secret_longer_first);
}

/**
 * fcm_probe_add_endpoint_secret:
 * @endpoint_url: a hub.channel.endpoint
 *
 * The endpoint id (the last path segment, and a query if any) is a bearer
 * ticket (C-09): only its first four characters are ever shown.
 */
void
fcm_probe_add_endpoint_secret (FcmProbe   *self,
                               const char *endpoint_url)
{
  g_autofree char *copy = NULL;
  char *query, *slash;

  if (endpoint_url == NULL)
    return;
  copy = g_strstrip (g_strdup (endpoint_url));
  if ((query = strpbrk (copy, "?#")) != NULL)
    {
      if (strlen (query + 1) >= 6)
        fcm_probe_add_secret (self, query + 1, 0);
      *query = '\0';
    }
  while (copy[0] != '\0' && copy[strlen (copy) - 1] == '/')
    copy[strlen (copy) - 1] = '\0';
  slash = strrchr (copy, '/');
  if (slash != NULL && strlen (slash + 1) >= 6)
    fcm_probe_add_secret (self, slash + 1, 4);
  else if (slash == NULL && strlen (copy) >= 6)
    fcm_probe_add_secret (self, copy, 4);
}

/**
 * fcm_probe_redact:
 *
 * Returns: (transfer full): @text with every registered secret shortened,
 *   made valid UTF-8, control characters other than newline and tab shown
 *   as U+FFFD
 */
char *
fcm_probe_redact (FcmProbe   *self,
                  const char *text)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_new (valid);

  for (guint i = 0; i < priv->secrets->len; i++)
    {
      Secret *s = g_ptr_array_index (priv->secrets, i);

      g_string_replace (out, s->secret, s->replacement, 0);
    }
  for (gsize i = 0; i < out->len; i++)
    if ((guchar) out->str[i] < 0x20 && out->str[i] != '\n' && out->str[i] != '\t')
      {
        g_string_erase (out, i, 1);
        g_string_insert (out, i, "\xef\xbf\xbd");
        i += 2;
      }
  return g_string_free (out, FALSE);
}

/* ----------------------------------------------------------------- settings */

/**
 * fcm_probe_list_scenarios:
 *
 * Returns: (transfer container) (element-type FcmProbeScenarioInfo): every
 *   scenario in run order; @title and @summary are untranslated msgids of
 *   the `fhircast-monitor` domain
 */
GPtrArray *
fcm_probe_list_scenarios (FcmProbe *self)
{
  FcmProbeClass *klass;
  GPtrArray *list;

  g_return_val_if_fail (FCM_IS_PROBE (self), NULL);

  klass = FCM_PROBE_GET_CLASS (self);
  list = g_ptr_array_new ();
  for (guint i = 0; i < klass->n_scenarios; i++)
    g_ptr_array_add (list, (gpointer) &klass->scenarios[i].info);
  return list;
}

/**
 * fcm_probe_set_only:
 * @ids: (nullable) (array zero-terminated=1): scenario ids; %NULL or empty: all
 *
 * Returns: %FALSE with %FCM_PROBE_ERROR_UNKNOWN_SCENARIO if an id is unknown
 */
gboolean
fcm_probe_set_only (FcmProbe            *self,
                    const char * const  *ids,
                    GError             **error)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  FcmProbeClass *klass = FCM_PROBE_GET_CLASS (self);
  g_autoptr(GHashTable) only = NULL;

  g_return_val_if_fail (FCM_IS_PROBE (self), FALSE);

  if (ids != NULL && ids[0] != NULL)
    {
      only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; ids[i] != NULL; i++)
        {
          gboolean known = FALSE;

          if (ids[i][0] == '\0')
            continue;
          for (guint j = 0; j < klass->n_scenarios && !known; j++)
            known = g_str_equal (klass->scenarios[j].info.id, ids[i]);
          if (!known)
            {
              g_set_error (error, FCM_PROBE_ERROR, FCM_PROBE_ERROR_UNKNOWN_SCENARIO,
                           _("Unknown scenario “%s”"), ids[i]);
              return FALSE;
            }
          g_hash_table_add (only, g_strdup (ids[i]));
        }
    }
  g_clear_pointer (&priv->only, g_hash_table_unref);
  priv->only = g_steal_pointer (&only);
  return TRUE;
}

double
fcm_probe_get_timeout (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  g_return_val_if_fail (FCM_IS_PROBE (self), 0);
  return priv->timeout;
}

void
fcm_probe_set_timeout (FcmProbe *self,
                       double    seconds)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  g_return_if_fail (FCM_IS_PROBE (self));

  seconds = CLAMP (seconds, 0.05, 3600);
  if (priv->timeout == seconds)
    return;
  priv->timeout = seconds;
  /* HTTP answers get the same time, with at least a few seconds to spare */
  g_object_set (priv->session, "timeout", (guint) MAX (5, seconds + 1), NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

double
fcm_probe_get_window (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  return priv->window;
}

/**
 * fcm_probe_set_window:
 * @seconds: how long a negative check watches ("no syncerror arrives",
 *   "the socket stays closed"); default 0.5
 */
void
fcm_probe_set_window (FcmProbe *self,
                      double    seconds)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  g_return_if_fail (FCM_IS_PROBE (self));
  priv->window = CLAMP (seconds, 0.01, 600);
}

gboolean
fcm_probe_get_running (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  g_return_val_if_fail (FCM_IS_PROBE (self), FALSE);
  return priv->task != NULL;
}

/**
 * fcm_probe_get_results:
 *
 * Returns: (transfer none): a #GListModel of #FcmProbeResult, in run order;
 *   cleared when a run starts
 */
GListModel *
fcm_probe_get_results (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);

  g_return_val_if_fail (FCM_IS_PROBE (self), NULL);
  return G_LIST_MODEL (priv->results);
}

/* ---------------------------------------------------------------------- run */

static void
end_run (FcmProbe *self,
         GError   *error)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  g_autoptr(GTask) task = g_steal_pointer (&priv->task);

  if (FCM_PROBE_GET_CLASS (self)->finished != NULL)
    FCM_PROBE_GET_CLASS (self)->finished (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
teardown_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FcmProbe *self = FCM_PROBE (source);
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  g_autoptr(FcmProbeResult) res = NULL;

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (priv->ctx == NULL || priv->task == NULL)
    return;
  res = g_object_ref (priv->ctx->result);
  g_clear_pointer (&priv->ctx, fcm_probe_ctx_free);

  if (g_task_return_error_if_cancelled (priv->task))
    {
      g_clear_object (&priv->task);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      return;
    }
  g_list_store_append (priv->results, res);
  g_signal_emit (self, signals[SIGNAL_SCENARIO_FINISHED], 0, res);
  run_next (self);
}

static void
default_teardown_async (FcmProbe            *self,
                        FcmProbeCtx         *ctx,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

/* Called by fcm_probe_ctx_finish() when the scenario is over. */
void _fcm_probe_scenario_done (FcmProbe    *self,
                               FcmProbeCtx *ctx);

void
_fcm_probe_scenario_done (FcmProbe    *self,
                          FcmProbeCtx *ctx)
{
  FcmProbeClass *klass = FCM_PROBE_GET_CLASS (self);

  fcm_probe_result_set_duration (ctx->result,
                                 (g_get_monotonic_time () - ctx->started) / (double) G_USEC_PER_SEC);
  if (klass->teardown_async != NULL)
    klass->teardown_async (self, ctx, teardown_cb, NULL);
  else
    default_teardown_async (self, ctx, teardown_cb, NULL);
}

static void
run_next (FcmProbe *self)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  FcmProbeClass *klass = FCM_PROBE_GET_CLASS (self);
  const FcmProbeScenario *scenario = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (priv->task)))
    {
      end_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The probe was cancelled")));
      return;
    }

  while (priv->next < klass->n_scenarios && scenario == NULL)
    {
      const FcmProbeScenario *s = &klass->scenarios[priv->next++];

      if (priv->only == NULL || g_hash_table_contains (priv->only, s->info.id))
        scenario = s;
    }
  if (scenario == NULL)
    {
      end_run (self, NULL);
      return;
    }

  priv->ctx = fcm_probe_ctx_new (self, scenario, g_task_get_cancellable (priv->task));
  g_signal_emit (self, signals[SIGNAL_SCENARIO_STARTED], 0, scenario->info.id,
                 fcm_probe_result_get_title (priv->ctx->result));
  if (klass->setup != NULL)
    klass->setup (self, priv->ctx);
  fcm_probe_ctx_start (priv->ctx);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FcmProbe *self = FCM_PROBE (source);
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  GError *error = NULL;

  if (priv->task == NULL)
    return;
  if (!FCM_PROBE_GET_CLASS (self)->prepare_finish (self, result, &error))
    {
      end_run (self, error);
      return;
    }
  run_next (self);
}

/**
 * fcm_probe_run_async:
 *
 * Runs the selected scenarios one after the other. Results arrive through
 * #FcmProbe::scenario-finished and fcm_probe_get_results().
 */
void
fcm_probe_run_async (FcmProbe            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  FcmProbePrivate *priv = fcm_probe_get_instance_private (self);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FCM_IS_PROBE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_probe_run_async);
  if (priv->task != NULL)
    {
      g_task_return_new_error (task, FCM_PROBE_ERROR, FCM_PROBE_ERROR_BUSY, "%s",
                               _("The probe is already running"));
      return;
    }
  priv->task = g_steal_pointer (&task);
  priv->next = 0;
  g_list_store_remove_all (priv->results);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (FCM_PROBE_GET_CLASS (self)->prepare_async != NULL)
    FCM_PROBE_GET_CLASS (self)->prepare_async (self, cancellable, prepared_cb, NULL);
  else
    run_next (self);
}

/**
 * fcm_probe_run_finish:
 *
 * Returns: %TRUE when every selected scenario ran (whatever the verdicts);
 *   %FALSE with %FCM_PROBE_ERROR_UNREACHABLE when the hub could not be
 *   reached, %G_IO_ERROR_CANCELLED, or the reason the subscriber probe's
 *   hub could not listen
 */
gboolean
fcm_probe_run_finish (FcmProbe      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

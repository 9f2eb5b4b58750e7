/* fcm-probe-ctx.c: one running scenario: its operations, findings and evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-private.h"

/* Longest body or frame excerpt in the evidence. */
#define EXCERPT_CHARS 400

void _fcm_probe_scenario_done (FcmProbe    *self,
                               FcmProbeCtx *ctx);

typedef struct
{
  FcmProbeCtx  *ctx;
  GCancellable *parent;
  gulong        handler;
  guint         idle_id;
} CancelLink;

static CancelLink *
ctx_link (FcmProbeCtx *ctx)
{
  return g_object_get_data (G_OBJECT (ctx->cancellable), "fcm-probe-link");
}

FcmProbeCtx *
fcm_probe_ctx_new (FcmProbe               *probe,
                   const FcmProbeScenario *scenario,
                   GCancellable           *cancellable)
{
  FcmProbeCtx *ctx = g_new0 (FcmProbeCtx, 1);

  ctx->probe = probe;
  ctx->scenario = scenario;
  ctx->result = fcm_probe_result_new (fcm_probe_get_kind (probe), scenario->info.id,
                                      g_dgettext (GETTEXT_PACKAGE, scenario->info.title),
                                      scenario->info.rules);
  ctx->state = g_malloc0 (MAX (scenario->state_size, 1));
  ctx->cancellable = g_cancellable_new ();
  ctx->subs = g_ptr_array_new_with_free_func ((GDestroyNotify) fcm_probe_sub_free);
  ctx->strays = g_ptr_array_new_with_free_func (g_free);
  ctx->open_reports = g_ptr_array_new_with_free_func (g_free);
  ctx->started = g_get_monotonic_time ();

  if (cancellable != NULL)
    {
      CancelLink *link = g_new0 (CancelLink, 1);

      link->ctx = ctx;
      link->parent = g_object_ref (cancellable);
      g_object_set_data (G_OBJECT (ctx->cancellable), "fcm-probe-link", link);
    }
  return ctx;
}

void
fcm_probe_ctx_free (FcmProbeCtx *ctx)
{
  CancelLink *link = ctx_link (ctx);

  if (link != NULL)
    {
      g_cancellable_disconnect (link->parent, link->handler);
      g_clear_handle_id (&link->idle_id, g_source_remove);
      g_object_unref (link->parent);
      g_object_set_data (G_OBJECT (ctx->cancellable), "fcm-probe-link", NULL);
      g_free (link);
    }
  /* callbacks of operations still in flight see G_IO_ERROR_CANCELLED and
   * leave the freed ctx alone */
  g_cancellable_cancel (ctx->cancellable);
  g_clear_handle_id (&ctx->timeout_id, g_source_remove);
  g_clear_handle_id (&ctx->resume_id, g_source_remove);
  g_clear_pointer (&ctx->subs, g_ptr_array_unref);
  g_clear_pointer (&ctx->strays, g_ptr_array_unref);
  g_clear_pointer (&ctx->open_reports, g_ptr_array_unref);
  if (ctx->scenario->state_clear != NULL)
    ctx->scenario->state_clear (ctx->state);
  g_free (ctx->state);
  g_clear_object (&ctx->cancellable);
  g_clear_object (&ctx->result);
  g_clear_pointer (&ctx->body, g_free);
  g_clear_pointer (&ctx->content_type, g_free);
  g_clear_error (&ctx->error);
  g_clear_pointer (&ctx->topic, g_free);
  g_clear_pointer (&ctx->waitset_arg, g_free);
  g_free (ctx);
}

static gboolean
resume_cb (gpointer data)
{
  FcmProbeCtx *ctx = data;

  ctx->resume_id = 0;
  if (ctx->finished)
    return G_SOURCE_REMOVE;
  if (g_cancellable_is_cancelled (ctx->cancellable))
    {
      fcm_probe_ctx_finish (ctx);
      return G_SOURCE_REMOVE;
    }
  ctx->scenario->run (ctx);
  if (!ctx->busy && !ctx->finished && ctx->resume_id == 0)
    {
      /* a scenario that returned without starting an operation: over */
      g_critical ("probe scenario %s yielded without an operation", ctx->scenario->info.id);
      fcm_probe_ctx_finish (ctx);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle_cb (gpointer data)
{
  FcmProbeCtx *ctx = data;
  CancelLink *link = ctx_link (ctx);

  link->idle_id = 0;
  fcm_probe_ctx_finish (ctx);
  return G_SOURCE_REMOVE;
}

static void
parent_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  FcmProbeCtx *ctx = data;
  CancelLink *link = ctx_link (ctx);

  /* may run in another thread: finish on the main loop */
  if (link->idle_id == 0)
    link->idle_id = g_idle_add (cancelled_idle_cb, ctx);
}

void
fcm_probe_ctx_start (FcmProbeCtx *ctx)
{
  CancelLink *link = ctx_link (ctx);

  ctx->started = g_get_monotonic_time ();
  if (link != NULL)
    link->handler = g_cancellable_connect (link->parent, G_CALLBACK (parent_cancelled_cb), ctx, NULL);
  ctx->resume_id = g_idle_add (resume_cb, ctx);
}

/**
 * fcm_probe_ctx_finish:
 *
 * Ends the scenario: its result is complete; the probe tears down what the
 * scenario left (subscriptions, sockets, open reports) and runs the next.
 */
void
fcm_probe_ctx_finish (FcmProbeCtx *ctx)
{
  if (ctx->finished)
    return;
  ctx->finished = TRUE;
  ctx->busy = FALSE;
  ctx->cond = NULL;
  ctx->chain = NULL;
  g_clear_handle_id (&ctx->timeout_id, g_source_remove);
  g_clear_handle_id (&ctx->resume_id, g_source_remove);
  _fcm_probe_scenario_done (ctx->probe, ctx);
}

/* An operation starts: the scenario resumes when it completes. */
void
fcm_probe_ctx_begin (FcmProbeCtx *ctx)
{
  if (ctx->busy)
    g_critical ("probe scenario %s started two operations at once", ctx->scenario->info.id);
  ctx->busy = TRUE;
  ctx->timed_out = FALSE;
}

/**
 * fcm_probe_ctx_complete:
 *
 * The operation in flight is over: the scenario resumes (from an idle, so
 * never inside the caller).
 */
void
fcm_probe_ctx_complete (FcmProbeCtx *ctx)
{
  if (!ctx->busy || ctx->finished)
    return;
  ctx->busy = FALSE;
  ctx->cond = NULL;
  g_clear_handle_id (&ctx->timeout_id, g_source_remove);
  if (ctx->chain != NULL)
    {
      if (ctx->chain (ctx, ctx->chain_data))
        return;
      ctx->chain = NULL;
      ctx->chain_data = NULL;
    }
  if (ctx->resume_id == 0)
    ctx->resume_id = g_idle_add (resume_cb, ctx);
}

/**
 * fcm_probe_ctx_poke:
 *
 * Something happened (a frame, a close, a request): if the scenario waits
 * for a condition that now holds, it resumes.
 */
void
fcm_probe_ctx_poke (FcmProbeCtx *ctx)
{
  if (ctx != NULL && ctx->busy && ctx->cond != NULL && ctx->cond (ctx, ctx->cond_data))
    fcm_probe_ctx_complete (ctx);
}

/**
 * fcm_probe_ctx_chain:
 *
 * Starts a compound operation: @chain runs now and after each of its steps;
 * the scenario resumes once it returns %FALSE.
 */
void
fcm_probe_ctx_chain (FcmProbeCtx   *ctx,
                     FcmProbeChain  chain,
                     gpointer       data)
{
  ctx->chain = chain;
  ctx->chain_data = data;
  if (chain (ctx, data))
    return;
  ctx->chain = NULL;
  ctx->chain_data = NULL;
  fcm_probe_ctx_begin (ctx);
  fcm_probe_ctx_complete (ctx);
}

static gboolean
wait_timeout_cb (gpointer data)
{
  FcmProbeCtx *ctx = data;

  ctx->timeout_id = 0;
  ctx->timed_out = TRUE;
  fcm_probe_ctx_complete (ctx);
  return G_SOURCE_REMOVE;
}

/**
 * fcm_probe_ctx_wait:
 * @cond: (nullable): the condition; %NULL waits the whole time
 *
 * Resumes as soon as @cond holds, or after @seconds with ctx->timed_out set.
 */
void
fcm_probe_ctx_wait (FcmProbeCtx  *ctx,
                    FcmProbeCond  cond,
                    gpointer      data,
                    double        seconds)
{
  fcm_probe_ctx_begin (ctx);
  ctx->cond = cond;
  ctx->cond_data = data;
  if (cond != NULL && cond (ctx, data))
    {
      fcm_probe_ctx_complete (ctx);
      return;
    }
  ctx->timeout_id = g_timeout_add ((guint) MAX (1, seconds * 1000), wait_timeout_cb, ctx);
}

/* An observation window: nothing to wait for, just watch for @seconds. */
void
fcm_probe_ctx_sleep (FcmProbeCtx *ctx,
                     double       seconds)
{
  fcm_probe_ctx_wait (ctx, NULL, NULL, seconds);
}

double
fcm_probe_ctx_timeout (FcmProbeCtx *ctx)
{
  return fcm_probe_get_timeout (ctx->probe);
}

/* ------------------------------------------------------------------ evidence */

void
fcm_probe_evidence (FcmProbeCtx *ctx,
                    const char  *format,
                    ...)
{
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;
  va_list ap;

  /* what happens in the teardown is not the scenario's evidence */
  if (ctx->finished)
    return;
  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  redacted = fcm_probe_redact (ctx->probe, text);
  fcm_probe_result_append_evidence (ctx->result, redacted);
  fcm_probe_emit_evidence_added (ctx->probe, ctx->scenario->info.id, redacted);
}

static char *
excerpt (const char *text,
         gsize       len)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL || len == 0)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, (gssize) MIN (len, EXCERPT_CHARS * 4));
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_utf8_pointer_to_offset (valid, p) >= EXCERPT_CHARS)
        {
          g_string_append_printf (out, "… (%" G_GSIZE_FORMAT " bytes)", len);
          break;
        }
      if (c == '\n' || c == '\r' || c == '\t')
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* One line for a frame or a body: "PREFIX text…" (shortened, redacted). */
void
fcm_probe_evidence_frame (FcmProbeCtx *ctx,
                          const char  *prefix,
                          const char  *text,
                          gsize        len)
{
  g_autofree char *short_text = excerpt (text, len);

  fcm_probe_evidence (ctx, "%s %s", prefix, short_text);
}

/* ------------------------------------------------------------------ findings */

static void add_finding (FcmProbeCtx *ctx,
                         FcmSeverity  severity,
                         const char  *rule,
                         const char  *format,
                         va_list      ap) G_GNUC_PRINTF (4, 0);

static void
add_finding (FcmProbeCtx *ctx,
             FcmSeverity  severity,
             const char  *rule,
             const char  *format,
             va_list      ap)
{
  g_autofree char *text = g_strdup_vprintf (format, ap);
  g_autofree char *redacted = fcm_probe_redact (ctx->probe, text);

  fcm_probe_result_add_finding (ctx->result, severity, rule, redacted);
}

void
fcm_probe_fail (FcmProbeCtx *ctx,
                const char  *rule,
                const char  *format,
                ...)
{
  va_list ap;

  va_start (ap, format);
  add_finding (ctx, FCM_SEVERITY_ERROR, rule, format, ap);
  va_end (ap);
}

void
fcm_probe_warn (FcmProbeCtx *ctx,
                const char  *rule,
                const char  *format,
                ...)
{
  va_list ap;

  va_start (ap, format);
  add_finding (ctx, FCM_SEVERITY_WARNING, rule, format, ap);
  va_end (ap);
}

void
fcm_probe_note (FcmProbeCtx *ctx,
                const char  *rule,
                const char  *format,
                ...)
{
  va_list ap;

  va_start (ap, format);
  add_finding (ctx, FCM_SEVERITY_INFO, rule, format, ap);
  va_end (ap);
}

void
fcm_probe_skip (FcmProbeCtx *ctx,
                const char  *format,
                ...)
{
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;
  va_list ap;

  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  redacted = fcm_probe_redact (ctx->probe, text);
  fcm_probe_result_skip (ctx->result, redacted);
}

/**
 * fcm_probe_check:
 *
 * Records a check: a note when @ok, else a failure of @rule. The message
 * says what was seen and, when it matters, what was expected.
 *
 * Returns: @ok
 */
gboolean
fcm_probe_check (FcmProbeCtx *ctx,
                 gboolean     ok,
                 const char  *rule,
                 const char  *format,
                 ...)
{
  va_list ap;

  va_start (ap, format);
  add_finding (ctx, ok ? FCM_SEVERITY_INFO : FCM_SEVERITY_ERROR, rule, format, ap);
  va_end (ap);
  return ok;
}

/**
 * fcm_probe_validate:
 * @what: what the message is ("the confirmation", …), for the messages
 * @errors_fail: whether the validator's errors fail the scenario (else
 *   they are warnings)
 *
 * Runs #FcmValidator over a message the peer sent and records its issues
 * under their own rule ids.
 */
void
fcm_probe_validate (FcmProbeCtx      *ctx,
                    const char       *what,
                    JsonNode         *root,
                    FcmValidatorRole  role,
                    gboolean          errors_fail)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GPtrArray) issues = NULL;
  guint n_errors = 0;

  if (root == NULL)
    return;
  fcm_validator_set_role (validator, role);
  issues = fcm_validator_validate (validator, root, NULL);
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);
      const char *rule = fcm_issue_get_rule_id (issue);

      if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR)
        {
          n_errors++;
          if (errors_fail)
            fcm_probe_fail (ctx, rule, _("%s: %s (%s)"), what, fcm_issue_get_message (issue),
                            fcm_issue_get_path (issue));
          else
            fcm_probe_warn (ctx, rule, _("%s: %s (%s)"), what, fcm_issue_get_message (issue),
                            fcm_issue_get_path (issue));
        }
      else if (fcm_issue_get_severity (issue) == FCM_SEVERITY_WARNING)
        fcm_probe_warn (ctx, rule, _("%s: %s (%s)"), what, fcm_issue_get_message (issue),
                        fcm_issue_get_path (issue));
    }
  if (n_errors == 0)
    fcm_probe_note (ctx, "C-25", _("%s passes the FHIRcast message checks"), what);
}

/* ---------------------------------------------------------------------- HTTP */

static void
clear_last (FcmProbeCtx *ctx)
{
  ctx->status = 0;
  g_clear_pointer (&ctx->body, g_free);
  ctx->body_len = 0;
  g_clear_pointer (&ctx->content_type, g_free);
  g_clear_error (&ctx->error);
}

static void
http_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  FcmProbeCtx *ctx = user_data;
  const char *type;
  gsize len = 0;
  const char *data;

  bytes = soup_session_send_and_read_finish (session, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;                             /* the ctx may be gone */

  if (error != NULL)
    {
      fcm_probe_evidence (ctx, "← %s", error->message);
      ctx->error = g_steal_pointer (&error);
      fcm_probe_ctx_complete (ctx);
      return;
    }

  ctx->status = soup_message_get_status (msg);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  ctx->content_type = g_strdup (type != NULL ? type : "");
  data = g_bytes_get_data (bytes, &len);
  ctx->body = g_strndup (data != NULL ? data : "", len);
  ctx->body_len = len;

  /* the endpoint in a subscribe answer is a ticket: redact it from now on */
  {
    JsonObject *obj = fcm_probe_ctx_body_object (ctx);
    const char *endpoint = obj != NULL ? fcm_json_get_string (obj, "hub.channel.endpoint") : NULL;

    if (endpoint != NULL)
      fcm_probe_add_endpoint_secret (ctx->probe, endpoint);
    if (obj != NULL)
      json_object_unref (obj);
  }

  {
    g_autofree char *short_body = excerpt (ctx->body, ctx->body_len);

    fcm_probe_evidence (ctx, "← %u %s%s%s", ctx->status, ctx->content_type,
                        short_body[0] != '\0' ? " " : "", short_body);
  }
  fcm_probe_ctx_complete (ctx);
}

/**
 * fcm_probe_ctx_http:
 * @body: (nullable): the request body
 *
 * Sends a request (with the probe's bearer token, if any). On completion
 * ctx->status, ctx->body and ctx->content_type hold the answer, or
 * ctx->error says why there is none.
 */
void
fcm_probe_ctx_http (FcmProbeCtx *ctx,
                    const char  *method,
                    const char  *url,
                    const char  *content_type,
                    const char  *body,
                    gssize       body_len)
{
  g_autoptr(SoupMessage) msg = NULL;
  const char *token = fcm_probe_get_token (ctx->probe);

  fcm_probe_ctx_begin (ctx);
  clear_last (ctx);

  if (body != NULL && body_len < 0)
    body_len = strlen (body);
  {
    g_autofree char *short_body = excerpt (body, body != NULL ? body_len : 0);

    fcm_probe_evidence (ctx, "→ %s %s%s%s", method, url, short_body[0] != '\0' ? " " : "",
                        short_body);
  }

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      ctx->error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Invalid URL: %s"), url);
      fcm_probe_ctx_complete (ctx);
      return;
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  soup_session_send_and_read_async (fcm_probe_get_session (ctx->probe), msg, G_PRIORITY_DEFAULT,
                                    ctx->cancellable, http_cb, ctx);
}

/**
 * fcm_probe_ctx_body_object:
 *
 * Returns: (transfer full) (nullable): the last answer's body when it is a JSON object
 */
JsonObject *
fcm_probe_ctx_body_object (FcmProbeCtx *ctx)
{
  g_autoptr(JsonNode) root = NULL;

  if (ctx->body == NULL || ctx->body_len == 0)
    return NULL;
  root = fcm_json_parse (ctx->body, (gssize) ctx->body_len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

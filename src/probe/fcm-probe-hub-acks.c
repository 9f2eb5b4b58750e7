/* fcm-probe-hub-acks.c: hub scenarios about delivery, acks and syncerrors
 *
 * ack-refused, ack-timeout, close-codes, topic-isolation, size-limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-hub-private.h"

/* Size of the oversized request and WebSocket message (the usual limits are
 * 1 MiB or less). */
#define OVERSIZE (2 * 1024 * 1024)

typedef struct
{
  char *report;
  char *patient;
  char *study;
  char *id;
} Report;

static void
report_init (Report *r)
{
  r->report = fcm_probe_random_id ("probe-rpt");
  r->patient = fcm_probe_random_id ("probe-pat");
  r->study = fcm_probe_random_id ("probe-st");
}

static void
report_clear (Report *r)
{
  g_clear_pointer (&r->report, g_free);
  g_clear_pointer (&r->patient, g_free);
  g_clear_pointer (&r->study, g_free);
  g_clear_pointer (&r->id, g_free);
}

static void
post_open (FcmProbeCtx *ctx,
           Report      *r)
{
  g_autoptr(JsonArray) context = fcm_probe_context_open (r->report, r->patient, r->study);

  fcm_probe_hub_remember_open (ctx, r->report, r->patient, r->study);
  fcm_probe_hub_post_event (ctx, "DiagnosticReport-open", context, NULL, &r->id);
}

static void
post_close (FcmProbeCtx *ctx,
            Report      *r)
{
  g_autoptr(JsonArray) context = fcm_probe_context_close (r->report, r->patient, r->study);

  fcm_probe_hub_forget_open (ctx, r->report);
  fcm_probe_hub_post_event (ctx, "DiagnosticReport-close", context, NULL, &r->id);
}

/* issue[0] of a syncerror's OperationOutcome */
static JsonObject *
syncerror_issue (FcmProbeFrame *frame)
{
  JsonObject *event = fcm_probe_frame_event (frame);
  JsonArray *context = event != NULL ? fcm_json_get_array (event, "context") : NULL;

  for (guint i = 0; context != NULL && i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);
      JsonObject *outcome = item != NULL ? fcm_json_get_object (item, "resource") : NULL;
      JsonArray *issues = outcome != NULL ? fcm_json_get_array (outcome, "issue") : NULL;

      if (issues != NULL && json_array_get_length (issues) > 0)
        return fcm_json_array_get_object (issues, 0);
    }
  return NULL;
}

/* H-36: what a hub-generated syncerror must say. */
static void
check_syncerror (FcmProbeCtx   *ctx,
                 FcmProbeFrame *frame,
                 const char    *failed_id,
                 const char    *failed_event,
                 const char    *subscriber)
{
  g_autoptr(FcmEvent) event = fcm_event_new_from_node (frame->json, NULL);
  const char *id = NULL, *name = NULL, *who = NULL, *diagnostics = NULL;
  JsonObject *issue = syncerror_issue (frame);
  const char *severity = issue != NULL ? fcm_json_get_string (issue, "severity") : NULL;
  const char *code = issue != NULL ? fcm_json_get_string (issue, "code") : NULL;

  if (!fcm_probe_check (ctx, event != NULL && fcm_event_get_syncerror_details (event, &id, &name, &who, &diagnostics),
                        "H-36", _("The syncerror %s an OperationOutcome with codings"),
                        event != NULL ? _("carries") : _("lacks")))
    return;
  fcm_probe_check (ctx, g_strcmp0 (id, failed_id) == 0, "H-36",
                   _("The syncerror names the event id (“%s”)"), id ? id : "");
  fcm_probe_check (ctx, name != NULL && fcm_event_name_equal (name, failed_event), "H-36",
                   _("The syncerror names the event (“%s”)"), name ? name : "");
  fcm_probe_check (ctx, g_strcmp0 (who, subscriber) == 0, "H-36",
                   _("The syncerror names the subscriber that failed (“%s”, expected “%s”)"), who ? who : "",
                   subscriber);
  fcm_probe_check (ctx, diagnostics != NULL && diagnostics[0] != '\0', "H-36", _("The syncerror has diagnostics"));
  fcm_probe_check (ctx, g_strcmp0 (severity, "warning") == 0 || g_strcmp0 (severity, "information") == 0, "H-36",
                   _("The syncerror's severity is “%s” (warning, or information as in IRA)"), severity ? severity : "");
  fcm_probe_check (ctx, g_strcmp0 (code, "processing") == 0, "H-36",
                   _("The syncerror's code is “%s” (expected processing)"), code ? code : "");
  fcm_probe_validate (ctx, _("the syncerror"), frame->json, FCM_VALIDATOR_ROLE_NOTIFICATION, TRUE);
}

/* -------------------------------------------------------------- ack-refused */

typedef struct
{
  FcmProbeSub *a, *b, *c;
  Report       r;
} AckRefused;

static void
ack_refused_clear (gpointer data)
{
  report_clear (&((AckRefused *) data)->r);
}

static void
ack_refused (FcmProbeCtx *ctx)
{
  AckRefused *s = ctx->state;
  g_autofree char *url = NULL;
  g_autoptr(JsonObject) obj = NULL;
  FcmProbeFrame *frame;

  PT_BEGIN (ctx);
  report_init (&s->r);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, NULL);
  s->b->ack_status = 409;
  s->c = fcm_probe_sub_new (ctx, "C", ctx->topic, "DiagnosticReport-open,DiagnosticReport-close");
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  post_open (ctx, &s->r);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-open"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_SYNCERROR, s->r.id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_SYNCERROR, s->r.id);
  if (fcm_probe_check (ctx, frame != NULL, "H-33",
                       frame != NULL ? _("A got a syncerror after B refused the event with 409")
                                     : _("A got no syncerror after B refused the event with 409")))
    check_syncerror (ctx, frame, s->r.id, "DiagnosticReport-open", s->b->name);

  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_probe_sub_count (s->c, FCM_PROBE_MATCH_SYNCERROR, NULL) == 0, "H-37",
                   fcm_probe_sub_count (s->c, FCM_PROBE_MATCH_SYNCERROR, NULL) == 0
                   ? _("C (not subscribed to syncerror) got no syncerror")
                   : _("C got a syncerror it did not subscribe to"));
  if (fcm_probe_sub_count (s->b, FCM_PROBE_MATCH_SYNCERROR, s->r.id) > 0)
    fcm_probe_note (ctx, "H-33", _("B, which refused, got the syncerror too (as IRA says)"));
  else
    fcm_probe_note (ctx, "H-33", _("B, which refused, did not get the syncerror (as FHIRcast says)"));

  url = fcm_probe_hub_topic_url (ctx, ctx->topic);
  fcm_probe_ctx_http (ctx, "GET", url, NULL, NULL, 0);
  PT_YIELD (ctx);
  obj = fcm_probe_ctx_body_object (ctx);
  fcm_probe_check (ctx, obj != NULL && g_strcmp0 (fcm_json_get_string (obj, "context.type"), "DiagnosticReport") == 0,
                   "H-33", _("The refusal did not change the current context"));

  s->b->ack_status = 200;
  post_close (ctx, &s->r);
  PT_YIELD (ctx);
  PT_END (ctx);
}

/* -------------------------------------------------------------- ack-timeout */

typedef struct
{
  FcmProbeSub *a, *b;
  Report       r;
} AckTimeout;

static void
ack_timeout_clear (gpointer data)
{
  report_clear (&((AckTimeout *) data)->r);
}

static void
ack_timeout (FcmProbeCtx *ctx)
{
  AckTimeout *s = ctx->state;
  FcmProbeFrame *frame;

  PT_BEGIN (ctx);
  report_init (&s->r);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, NULL);
  s->b->ack_status = 0;               /* never acks */
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  post_open (ctx, &s->r);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-open"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_SYNCERROR, s->r.id, fcm_probe_hub_ack_wait (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_SYNCERROR, s->r.id);
  if (!fcm_probe_check (ctx, frame != NULL, "H-34",
                        frame != NULL ? _("A got a syncerror because B did not ack within the hub's time")
                                      : _("A got no syncerror within %.1f s although B never acked"),
                        fcm_probe_hub_ack_wait (ctx)))
    PT_EXIT (ctx);
  check_syncerror (ctx, frame, s->r.id, "DiagnosticReport-open", s->b->name);

  fcm_probe_wait_closed (s->b, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  if (s->b->closed)
    fcm_probe_note (ctx, "H-34", _("The hub unsubscribed the silent subscriber B (%s)"),
                    fcm_probe_sub_find (s->b, FCM_PROBE_MATCH_DENIAL, NULL) != NULL ? _("a denial, then the close")
                                                                                   : _("closed"));
  else
    fcm_probe_warn (ctx, "H-34", _("The silent subscriber B is still subscribed (the hub may allow more than one "
                                   "missed ack; the default is one)"));
  PT_END (ctx);
}

/* -------------------------------------------------------------- close-codes */

typedef struct
{
  FcmProbeSub *a, *b, *c;
} CloseCodes;

static void
close_codes (FcmProbeCtx *ctx)
{
  CloseCodes *s = ctx->state;

  PT_BEGIN (ctx);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, NULL);
  s->c = fcm_probe_sub_new (ctx, "C", ctx->topic, NULL);
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  /* a normal close: nothing for the others */
  fcm_probe_sub_close (s->b, SOUP_WEBSOCKET_CLOSE_NORMAL);
  fcm_probe_wait_closed (s->b, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_probe_sub_count (s->a, FCM_PROBE_MATCH_SYNCERROR, NULL) == 0, "H-35",
                   fcm_probe_sub_count (s->a, FCM_PROBE_MATCH_SYNCERROR, NULL) == 0
                   ? _("B's close with 1000 produced no syncerror")
                   : _("B's close with 1000 produced a syncerror"));

  /* a dropped connection: the others may hear of it (IRA: they shall) */
  fcm_probe_sub_drop (s->c);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_SYNCERROR, NULL, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  if (fcm_probe_sub_find (s->a, FCM_PROBE_MATCH_SYNCERROR, NULL) != NULL)
    fcm_probe_note (ctx, "H-35", _("C's dropped connection produced a syncerror to A"));
  else
    fcm_probe_warn (ctx, "H-35", _("C's dropped connection produced no syncerror (IRA: the others shall hear of it)"));
  PT_END (ctx);
}

/* ---------------------------------------------------------- topic-isolation */

typedef struct
{
  FcmProbeSub *a, *b, *c;
  Report       r;
} TopicIsolation;

static void
topic_isolation_clear (gpointer data)
{
  report_clear (&((TopicIsolation *) data)->r);
}

static void
topic_isolation (FcmProbeCtx *ctx)
{
  TopicIsolation *s = ctx->state;
  g_autofree char *other = NULL;
  guint n;

  PT_BEGIN (ctx);
  report_init (&s->r);
  other = g_strconcat (ctx->topic, "-other", NULL);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, "DiagnosticReport-close,SyncError");
  s->c = fcm_probe_sub_new (ctx, "C", other, NULL);
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  post_open (ctx, &s->r);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-open"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->r.id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_probe_sub_find (s->a, FCM_PROBE_MATCH_EVENT_ID, s->r.id) != NULL, "H-18",
                   _("A got its DiagnosticReport-open"));
  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  n = fcm_probe_sub_count (s->b, FCM_PROBE_MATCH_EVENT_NAME, "DiagnosticReport-open");
  fcm_probe_check (ctx, n == 0, "H-12", n == 0 ? _("B (subscribed to close only) got no open")
                                               : _("B got a DiagnosticReport-open it did not subscribe to"));
  n = fcm_probe_sub_count (s->c, FCM_PROBE_MATCH_EVENT, NULL);
  fcm_probe_check (ctx, n == 0, "H-04", n == 0 ? _("C (another topic) got nothing")
                                               : _("C got an event of another topic"));

  post_close (ctx, &s->r);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-close"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->b, FCM_PROBE_MATCH_EVENT_ID, s->r.id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_probe_sub_find (s->b, FCM_PROBE_MATCH_EVENT_ID, s->r.id) != NULL, "H-18",
                   _("B got the DiagnosticReport-close it subscribed to"));
  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  n = fcm_probe_sub_count (s->c, FCM_PROBE_MATCH_EVENT, NULL);
  fcm_probe_check (ctx, n == 0, "H-04", n == 0 ? _("C still got nothing from the other topic")
                                               : _("C got an event of another topic"));
  PT_END (ctx);
}

/* -------------------------------------------------------------- size-limits */

typedef struct
{
  FcmProbeSub *a, *b;
  Report       r;
  char        *big;
} SizeLimits;

static void
size_limits_clear (gpointer data)
{
  SizeLimits *s = data;

  report_clear (&s->r);
  g_clear_pointer (&s->big, g_free);
}

/* A DiagnosticReport-open whose report carries a narrative of @size bytes. */
static char *
oversized_open (FcmProbeCtx *ctx,
                Report      *r,
                gsize        size)
{
  g_autoptr(JsonArray) context = fcm_probe_context_open (r->report, r->patient, r->study);
  JsonObject *report = fcm_json_get_object (fcm_json_array_get_object (context, 0), "resource");
  g_autofree char *now = fcm_probe_now_iso ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *pad = g_malloc (size + 1);
  g_autofree char *div = NULL;
  JsonObject *text = json_object_new ();

  memset (pad, 'x', size);
  pad[size] = '\0';
  div = g_strconcat ("<div xmlns=\"http://www.w3.org/1999/xhtml\">", pad, "</div>", NULL);
  json_object_set_string_member (text, "status", "generated");
  json_object_set_string_member (text, "div", div);
  json_object_set_object_member (report, "text", text);
  return fcm_probe_message_new (id, now, ctx->topic, "DiagnosticReport-open", context, NULL, NULL);
}

static void
size_limits (FcmProbeCtx *ctx)
{
  SizeLimits *s = ctx->state;

  PT_BEGIN (ctx);
  report_init (&s->r);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  /* an HTTP request of 2 MiB: refused with 413, or handled */
  s->big = oversized_open (ctx, &s->r, OVERSIZE);
  fcm_probe_hub_remember_open (ctx, s->r.report, s->r.patient, s->r.study);
  fcm_probe_hub_post_raw (ctx, s->big, -1);
  PT_YIELD (ctx);
  if (ctx->error != NULL)
    fcm_probe_fail (ctx, "C-59", _("A request of %d bytes got no HTTP answer: %s"), (int) strlen (s->big),
                    ctx->error->message);
  else if (ctx->status == 413)
    fcm_probe_note (ctx, "C-59", _("A request of %d bytes was refused with 413"), (int) strlen (s->big));
  else if (ctx->status >= 400 && ctx->status < 500)
    fcm_probe_warn (ctx, "C-59", _("A request of %d bytes was refused with %u; 413 says why"),
                    (int) strlen (s->big), ctx->status);
  else if (SOUP_STATUS_IS_SUCCESSFUL (ctx->status))
    fcm_probe_note (ctx, "C-59", _("A request of %d bytes was accepted (%u)"), (int) strlen (s->big), ctx->status);
  else
    fcm_probe_fail (ctx, "C-59", _("A request of %d bytes answered %u"), (int) strlen (s->big), ctx->status);
  g_clear_pointer (&s->big, g_free);

  /* a WebSocket message of 2 MiB: the hub may drop that socket (1009) */
  s->big = g_strdup_printf ("{\"id\":\"probe-oversized\",\"status\":200,\"pad\":\"%*s\"}", OVERSIZE, "");
  fcm_probe_sub_send_text (s->a, s->big, strlen (s->big));
  g_clear_pointer (&s->big, g_free);
  fcm_probe_wait_closed (s->a, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  if (s->a->closed)
    fcm_probe_note (ctx, "C-59", _("The hub closed the socket that sent %d bytes (code %u)"), OVERSIZE,
                    s->a->close_code);
  else
    fcm_probe_note (ctx, "C-59", _("The hub took a WebSocket message of %d bytes"), OVERSIZE);

  /* and it still works */
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, NULL);
  fcm_probe_sub_open (s->b);
  PT_YIELD (ctx);
  fcm_probe_check (ctx, s->b->failure == NULL, "C-59",
                   s->b->failure == NULL ? _("The hub still takes new subscribers after the oversized input")
                                         : _("The hub stopped working after the oversized input: %s"),
                   s->b->failure);
  PT_END (ctx);
}

/* -------------------------------------------------------------------- table */

#define SCENARIO(fn, type, clear) fn, sizeof (type), clear

const FcmProbeScenario fcm_probe_hub_acks_scenarios[] = {
  { { "ack-refused", N_("Refused event: syncerror to the right subscribers"), "H-33,H-36,H-37",
      N_("B acks an open with 409: A gets a syncerror naming the event, its id and B; C, not subscribed to "
         "syncerror, gets none; the current context stays") },
    SCENARIO (ack_refused, AckRefused, ack_refused_clear) },
  { { "ack-timeout", N_("Unacknowledged event: syncerror and unsubscription"), "H-34,H-36",
      N_("B never acks: within the ack wait A gets a syncerror naming B; B should be unsubscribed") },
    SCENARIO (ack_timeout, AckTimeout, ack_timeout_clear) },
  { { "close-codes", N_("WebSocket close codes"), "H-35",
      N_("A close with 1000 produces no syncerror; a dropped connection should produce one for the others") },
    SCENARIO (close_codes, CloseCodes, NULL) },
  { { "topic-isolation", N_("Topic and event isolation"), "H-04,H-12,H-18",
      N_("Events reach only the subscribers of that topic that subscribed to that event") },
    SCENARIO (topic_isolation, TopicIsolation, topic_isolation_clear) },
  { { "size-limits", N_("Oversized input"), "C-59",
      N_("A 2 MiB context change is refused with 413 (or handled), a 2 MiB WebSocket message does no harm, "
         "and the hub keeps working") },
    SCENARIO (size_limits, SizeLimits, size_limits_clear) },
};

const guint fcm_probe_hub_acks_n_scenarios = G_N_ELEMENTS (fcm_probe_hub_acks_scenarios);

/* fcm-probe-subscriber.c: the subscriber probe's scenarios
 *
 * Each scenario waits for the app to subscribe (a new subscription whose
 * socket is up and confirmed; the probe's hub has replayed an open report
 * to it), claims that subscription and then misbehaves in one way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-subscriber-probe-private.h"

#define OVERSIZE (2 * 1024 * 1024)

static const char * const ira_events[] = {
  "DiagnosticReport-open", "DiagnosticReport-close", "DiagnosticReport-update", "DiagnosticReport-select", "SyncError",
};

/* ----------------------------------------------------------------- helpers */

static gboolean
app_ready_cond (FcmProbeCtx *ctx,
                gpointer     data)
{
  FcmSubscriberProbe *self = fcm_sp_probe (ctx);

  return fcm_sp_find_unclaimed (self, TRUE) != NULL ||
         (self->command != NULL && (self->process == NULL || self->process_exited));
}

/* Claims the app's new subscription; without one, says why and returns NULL. */
static FcmSpSub *
claim (FcmProbeCtx *ctx)
{
  FcmSubscriberProbe *self = fcm_sp_probe (ctx);
  FcmSpSub *sub = fcm_sp_find_unclaimed (self, TRUE);

  if (sub != NULL)
    {
      sub->claimed = TRUE;
      return sub;
    }
  if (self->spawn_error != NULL)
    fcm_probe_skip (ctx, _("The command could not be started: %s"), self->spawn_error);
  else if (fcm_sp_find_unclaimed (self, FALSE) != NULL)
    fcm_probe_fail (ctx, "C-17", _("The app subscribed but did not open the WebSocket to its endpoint"));
  else if (self->command != NULL && self->process_exited)
    fcm_probe_fail (ctx, "C-11", _("The command exited without subscribing"));
  else if (self->command != NULL)
    fcm_probe_fail (ctx, "C-11", _("The app did not subscribe within %.0f s"), fcm_sp_connect_timeout (self));
  else
    fcm_probe_skip (ctx, _("No app subscribed within %.0f s"), fcm_sp_connect_timeout (self));
  return NULL;
}

/* Every scenario starts here: wait for the app's subscription, claim it. */
#define WAIT_FOR_APP(ctx, s)                                                          \
  fcm_probe_ctx_wait (ctx, app_ready_cond, NULL, fcm_sp_connect_timeout (fcm_sp_probe (ctx))); \
  PT_YIELD (ctx);                                                                     \
  if (((s)->sub = claim (ctx)) == NULL)                                               \
    PT_EXIT (ctx)

static gboolean
acked_cond (FcmProbeCtx *ctx,
            gpointer     data)
{
  FcmSpSub *sub = data;

  for (guint i = 0; i < sub->sent->len; i++)
    if (fcm_sp_find_ack (sub, ((FcmSpSent *) g_ptr_array_index (sub->sent, i))->id) == NULL)
      return sub->closed;
  return TRUE;
}

/* Resumes when everything sent to @sub is acked (or it is closed). */
static void
wait_all_acked (FcmProbeCtx *ctx,
                FcmSpSub    *sub)
{
  fcm_probe_ctx_wait (ctx, acked_cond, sub, fcm_probe_ctx_timeout (ctx));
}

/* A harmless notification @sub subscribed to: a select, or the open again. */
static char *
send_probe_event (FcmSpSub   *sub,
                  const char *id)
{
  FcmSubscriberProbe *self = sub->probe;

  if (fcm_sp_granted (sub, "DiagnosticReport-select"))
    {
      g_autofree char *reference = g_strconcat ("Patient/", self->patient, NULL);
      g_autoptr(JsonArray) context = fcm_probe_context_select (self->report, self->patient, reference);

      return fcm_sp_send_event (sub, id, NULL, "DiagnosticReport-select", context, NULL, NULL);
    }
  else
    {
      g_autoptr(JsonArray) context = fcm_probe_context_open (self->report, self->patient, self->study);

      return fcm_sp_send_event (sub, id, NULL, "DiagnosticReport-open", context, self->version, NULL);
    }
}

/* The update after the current version (or after @prior when given). */
static char *
send_update (FcmSpSub   *sub,
             const char *prior)
{
  FcmSubscriberProbe *self = sub->probe;
  g_autofree char *observation = fcm_probe_random_id ("probe-obs");
  g_autoptr(JsonArray) context = fcm_probe_context_update (self->report, self->patient, self->study,
                                                           observation, 7.5);
  g_autofree char *version = g_uuid_string_random ();
  char *id = fcm_sp_send_event (sub, NULL, NULL, "DiagnosticReport-update", context, version,
                                prior != NULL ? prior : self->version);

  g_free (self->version);
  self->version = g_steal_pointer (&version);
  return id;
}

/* ---------------------------------------------------------------- subscribe */

typedef struct
{
  FcmSpSub *sub;
} Plain;

static void
subscribe (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;
  g_autoptr(FcmValidator) validator = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autofree char *name = NULL;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);

  fcm_probe_note (ctx, "C-11", _("The app subscribed with a form POST"));
  validator = fcm_validator_new ();
  issues = fcm_validator_validate_form (validator, s->sub->form);
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR)
        fcm_probe_fail (ctx, fcm_issue_get_rule_id (issue), _("The subscribe form: %s"), fcm_issue_get_message (issue));
      else if (fcm_issue_get_severity (issue) == FCM_SEVERITY_WARNING)
        fcm_probe_warn (ctx, fcm_issue_get_rule_id (issue), _("The subscribe form: %s"), fcm_issue_get_message (issue));
    }
  name = g_strstrip (g_strdup (s->sub->name != NULL ? s->sub->name : ""));
  if (s->sub->name == NULL)
    fcm_probe_fail (ctx, "C-12", _("The subscribe form has no subscriber.name (IRA requires one)"));
  else
    fcm_probe_check (ctx, name[0] != '\0', "C-12", _("subscriber.name is “%s”"), s->sub->name);
  for (guint i = 0; i < G_N_ELEMENTS (ira_events); i++)
    if (!fcm_sp_granted (s->sub, ira_events[i]))
      fcm_probe_warn (ctx, "C-12", _("hub.events lacks %s (IRA requires it)"), ira_events[i]);
  fcm_probe_note (ctx, "C-17", _("The app opened the WebSocket to exactly the endpoint it was given"));
  PT_END (ctx);
}

/* ---------------------------------------------------------- refetch-connect */

static gboolean
fetched_cond (FcmProbeCtx *ctx,
              gpointer     data)
{
  FcmSpSub *sub = data;

  return fcm_sp_gets_since (sub->probe, sub->subscribed_at) > 0;
}

static void
refetch_connect (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  fcm_probe_ctx_wait (ctx, fetched_cond, s->sub, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_sp_gets_since (s->sub->probe, s->sub->subscribed_at) > 0, "C-22",
                   fcm_sp_gets_since (s->sub->probe, s->sub->subscribed_at) > 0
                   ? _("The app fetched the current context after subscribing")
                   : _("The app did not fetch the current context within %.1f s of subscribing"),
                   fcm_probe_ctx_timeout (ctx));
  PT_END (ctx);
}

/* ---------------------------------------------------------------------- ack */

static void
ack (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;
  FcmSubscriberProbe *self = fcm_sp_probe (ctx);
  g_autoptr(JsonArray) context = NULL;
  g_autofree char *reference = NULL;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);

  if (fcm_sp_granted (s->sub, "DiagnosticReport-update"))
    g_free (send_update (s->sub, NULL));
  if (fcm_sp_granted (s->sub, "DiagnosticReport-select"))
    {
      reference = g_strconcat ("Patient/", self->patient, NULL);
      context = fcm_probe_context_select (self->report, self->patient, reference);
      g_free (fcm_sp_send_event (s->sub, NULL, NULL, "DiagnosticReport-select", context, NULL, NULL));
      g_clear_pointer (&context, json_array_unref);
    }
  if (fcm_sp_granted (s->sub, "SyncError"))
    {
      context = fcm_probe_context_syncerror (self->open_id, "DiagnosticReport-open", "another app",
                                             "another app refused DiagnosticReport-open (fhircast probe)");
      g_free (fcm_sp_send_event (s->sub, NULL, NULL, "SyncError", context, NULL, NULL));
      g_clear_pointer (&context, json_array_unref);
    }
  if (fcm_sp_granted (s->sub, "DiagnosticReport-close"))
    {
      context = fcm_probe_context_close (self->report, self->patient, self->study);
      fcm_sp_close_context (self);
      g_free (fcm_sp_send_event (s->sub, NULL, NULL, "DiagnosticReport-close", context, NULL, NULL));
    }
  if (s->sub->sent->len == 0)
    {
      fcm_probe_skip (ctx, _("The app subscribed to none of the IRA events"));
      PT_EXIT (ctx);
    }
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  for (guint i = 0; i < s->sub->sent->len; i++)
    {
      FcmSpSent *sent = g_ptr_array_index (s->sub->sent, i);
      FcmSpAck *a = fcm_sp_find_ack (s->sub, sent->id);

      if (!fcm_probe_check (ctx, a != NULL, "C-28", a != NULL ? _("%s was acknowledged with its id")
                                                              : _("%s was not acknowledged"), sent->name))
        continue;
      if (a->has_status)
        fcm_probe_note (ctx, "C-28", _("The ack of %s has the status %d"), sent->name, a->status);
      else
        fcm_probe_fail (ctx, "C-28", _("The ack of %s has no status"), sent->name);
      if (fcm_event_name_equal (sent->name, "syncerror"))
        fcm_probe_note (ctx, "C-63", _("The syncerror was acknowledged too"));
    }
  PT_END (ctx);
}

/* ---------------------------------------------------------------- duplicate */

typedef struct
{
  FcmSpSub *sub;
  char     *id;
} Duplicate;

static void
duplicate_clear (gpointer data)
{
  g_clear_pointer (&((Duplicate *) data)->id, g_free);
}

static gboolean
two_acks_cond (FcmProbeCtx *ctx,
               gpointer     data)
{
  Duplicate *s = data;

  return fcm_sp_count_acks (s->sub, s->id) >= 2 || s->sub->closed;
}

static void
duplicate (FcmProbeCtx *ctx)
{
  Duplicate *s = ctx->state;
  guint n;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  s->id = g_uuid_string_random ();
  g_free (send_probe_event (s->sub, s->id));
  g_free (send_probe_event (s->sub, s->id));
  fcm_probe_ctx_wait (ctx, two_acks_cond, s, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  n = fcm_sp_count_acks (s->sub, s->id);
  if (n >= 2)
    fcm_probe_note (ctx, "C-67", _("Both copies of a repeated notification were acknowledged"));
  else if (n == 1)
    fcm_probe_fail (ctx, "C-67", _("Only the first copy of a repeated notification was acknowledged"));
  else
    fcm_probe_fail (ctx, "C-28", _("A repeated notification was not acknowledged at all"));
  PT_END (ctx);
}

/* ----------------------------------------------------- malformed, oversized */

typedef struct
{
  FcmSpSub *sub;
  FcmSpSub *again;
  char     *id;
  gboolean  oversized;
} Survive;

static void
survive_clear (gpointer data)
{
  g_clear_pointer (&((Survive *) data)->id, g_free);
}

static gboolean
survived_cond (FcmProbeCtx *ctx,
               gpointer     data)
{
  Survive *s = data;

  return fcm_sp_find_ack (s->sub, s->id) != NULL || s->sub->closed;
}

static void
send_garbage (Survive *s)
{
  FcmSubscriberProbe *self = s->sub->probe;

  if (s->oversized)
    {
      g_autoptr(JsonArray) context = fcm_probe_context_open (self->report, self->patient, self->study);
      JsonObject *report = fcm_json_get_object (fcm_json_array_get_object (context, 0), "resource");
      g_autofree char *pad = g_strnfill (OVERSIZE, 'x');
      JsonObject *text = json_object_new ();

      json_object_set_string_member (text, "status", "generated");
      json_object_set_string_member (text, "div", pad);
      json_object_set_object_member (report, "text", text);
      g_free (fcm_sp_send_event (s->sub, NULL, NULL, "DiagnosticReport-open", context, self->version, NULL));
    }
  else
    {
      static const char * const junk[] = {
        "this is not JSON {", "[1,2,3]", "{\"hub.mode\":42}", "{}", "{\"timestamp\":\"2025\",\"event\":7}",
      };

      for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
        fcm_sp_send (s->sub, junk[i], strlen (junk[i]));
      fcm_sp_send_binary (s->sub, "\x00\x01\x02\x03", 4);
    }
}

/* malformed and oversized: garbage, then a valid event that must be acked */
static void
survive (FcmProbeCtx *ctx)
{
  Survive *s = ctx->state;
  const char *rule = g_str_equal (ctx->scenario->info.id, "oversized") ? "C-59" : "C-28";

  PT_BEGIN (ctx);
  s->oversized = g_str_equal (ctx->scenario->info.id, "oversized");
  WAIT_FOR_APP (ctx, s);
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  send_garbage (s);
  s->id = g_uuid_string_random ();
  g_free (send_probe_event (s->sub, s->id));
  fcm_probe_ctx_wait (ctx, survived_cond, s, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  if (s->sub->closed && fcm_sp_find_ack (s->sub, s->id) == NULL)
    {
      /* it closed the socket: does it come back? */
      fcm_probe_ctx_wait (ctx, app_ready_cond, NULL, fcm_sp_connect_timeout (fcm_sp_probe (ctx)));
      PT_YIELD (ctx);
    }

  if (fcm_sp_find_ack (s->sub, s->id) != NULL)
    {
      if (s->oversized)
        fcm_probe_note (ctx, rule, _("After a notification of %d bytes the app still acknowledges"), OVERSIZE);
      else
        fcm_probe_note (ctx, rule, _("After malformed frames the app still acknowledges"));
      PT_EXIT (ctx);
    }
  if (!s->sub->closed || (s->again = fcm_sp_find_unclaimed (s->sub->probe, TRUE)) == NULL)
    {
      if (s->oversized)
        fcm_probe_fail (ctx, rule, _("After a notification of %d bytes the app stopped acknowledging"), OVERSIZE);
      else
        fcm_probe_fail (ctx, rule, _("After malformed frames the app stopped acknowledging"));
      PT_EXIT (ctx);
    }

  /* it dropped the connection and came back: acceptable, if it works again */
  s->again->claimed = TRUE;
  g_clear_pointer (&s->id, g_free);
  s->id = g_uuid_string_random ();
  g_free (send_probe_event (s->again, s->id));
  s->sub = s->again;
  fcm_probe_ctx_wait (ctx, survived_cond, s, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  if (fcm_sp_find_ack (s->sub, s->id) == NULL)
    fcm_probe_fail (ctx, rule, _("The app reconnected but does not acknowledge"));
  else if (s->oversized)
    fcm_probe_note (ctx, rule, _("The app closed the socket on the oversized notification, then resubscribed"));
  else
    fcm_probe_warn (ctx, rule, _("The app dropped its connection on malformed frames (then resubscribed); "
                                 "ignoring them is enough"));
  PT_END (ctx);
}

/* -------------------------------------------------------------- version-gap */

typedef struct
{
  FcmSpSub *sub;
  char     *id;
  gint64    since;
} VersionGap;

static void
version_gap_clear (gpointer data)
{
  g_clear_pointer (&((VersionGap *) data)->id, g_free);
}

static gboolean
one_acked_cond (FcmProbeCtx *ctx,
                gpointer     data)
{
  VersionGap *s = data;

  return fcm_sp_find_ack (s->sub, s->id) != NULL || s->sub->closed;
}

static gboolean
refetched_cond (FcmProbeCtx *ctx,
                gpointer     data)
{
  VersionGap *s = data;

  return fcm_sp_gets_since (s->sub->probe, s->since) > 0;
}

static void
version_gap (FcmProbeCtx *ctx)
{
  VersionGap *s = ctx->state;
  g_autofree char *missing = NULL;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  if (!fcm_sp_granted (s->sub, "DiagnosticReport-update"))
    {
      fcm_probe_skip (ctx, _("The app did not subscribe to DiagnosticReport-update"));
      PT_EXIT (ctx);
    }
  /* let the fetch after connecting settle */
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);
  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);

  /* an update in sequence … */
  s->id = send_update (s->sub, NULL);
  fcm_probe_ctx_wait (ctx, one_acked_cond, s, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);

  /* … then one whose priorVersionId the app has never seen */
  missing = g_uuid_string_random ();
  g_free (s->id);
  s->since = g_get_monotonic_time ();
  s->id = send_update (s->sub, missing);
  fcm_probe_evidence (ctx, "⇄ the update above skips a version: priorVersionId %s was never sent", missing);
  fcm_probe_ctx_wait (ctx, refetched_cond, s, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_sp_gets_since (s->sub->probe, s->since) > 0, "C-33",
                   fcm_sp_gets_since (s->sub->probe, s->since) > 0
                   ? _("After a version gap the app fetched the current context")
                   : _("After a version gap the app did not fetch the current context within %.1f s"),
                   fcm_probe_ctx_timeout (ctx));
  PT_END (ctx);
}

/* -------------------------------------------------------------------- renew */

static gboolean
renewed_cond (FcmProbeCtx *ctx,
              gpointer     data)
{
  FcmSpSub *sub = data;

  return sub->renewals->len > 0 || fcm_sp_find_unclaimed (sub->probe, FALSE) != NULL || sub->closed;
}

static void
renew (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;
  FcmSubscriberProbe *self = fcm_sp_probe (ctx);
  double after;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  if (s->sub->lease != self->lease)
    {
      /* it subscribed before this scenario: grant the short lease now */
      s->sub->lease = self->lease;
      fcm_sp_send_confirmation (s->sub);
    }
  g_array_set_size (s->sub->renewals, 0);
  fcm_probe_ctx_wait (ctx, renewed_cond, s->sub, self->lease * 1.1 + 0.5);
  PT_YIELD (ctx);

  if (s->sub->renewals->len > 0)
    {
      after = (g_array_index (s->sub->renewals, gint64, 0) - s->sub->confirmed_at) / (double) G_USEC_PER_SEC;
      fcm_probe_check (ctx, after <= self->lease, "C-23",
                       _("The app renewed (same topic and endpoint) %.1f s into a lease of %u s"), after, self->lease);
    }
  else if (fcm_sp_find_unclaimed (self, FALSE) != NULL)
    fcm_probe_fail (ctx, "C-23", _("The app subscribed anew instead of renewing with its endpoint"));
  else
    fcm_probe_fail (ctx, "C-23", _("The app did not renew its lease of %u s"), self->lease);
  PT_END (ctx);
}

/* ---------------------------------------------------------------- reconnect */

typedef struct
{
  FcmSpSub *sub;
  gint64    dropped;
} Reconnect;

static void
reconnect (FcmProbeCtx *ctx)
{
  Reconnect *s = ctx->state;
  FcmSpSub *again;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  fcm_sp_drop (s->sub);
  s->dropped = g_get_monotonic_time ();
  fcm_probe_ctx_wait (ctx, app_ready_cond, NULL, fcm_sp_connect_timeout (fcm_sp_probe (ctx)));
  PT_YIELD (ctx);
  again = fcm_sp_find_unclaimed (fcm_sp_probe (ctx), TRUE);
  if (fcm_probe_check (ctx, again != NULL, "C-68",
                       again != NULL ? _("After the socket dropped the app subscribed anew and reconnected (%.1f s)")
                                     : _("After the socket dropped the app did not come back within %.0f s"),
                       again != NULL ? (g_get_monotonic_time () - s->dropped) / (double) G_USEC_PER_SEC
                                     : fcm_sp_connect_timeout (fcm_sp_probe (ctx))))
    again->claimed = TRUE;
  PT_END (ctx);
}

/* ------------------------------------------------------------- async-reject */

static gboolean
requested_cond (FcmProbeCtx *ctx,
                gpointer     data)
{
  return fcm_sp_probe (ctx)->requests->len > 0;
}

static void
async_reject (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;
  FcmSubscriberProbe *self = fcm_sp_probe (ctx);
  FcmSpRequest *first;
  FcmSpSent *syncerror = NULL;
  FcmSpAck *a;

  PT_BEGIN (ctx);
  if (fcm_sp_has_command (self))
    {
      fcm_probe_skip (ctx, _("An app run with --command is not asked to request a context change"));
      PT_EXIT (ctx);
    }
  WAIT_FOR_APP (ctx, s);
  fcm_sp_request_action (ctx, FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH);
  fcm_probe_ctx_wait (ctx, requested_cond, NULL, fcm_sp_connect_timeout (self));
  PT_YIELD (ctx);
  if (self->requests->len == 0)
    {
      fcm_probe_skip (ctx, _("The app requested no context change"));
      PT_EXIT (ctx);
    }
  /* the probe answered 202 and sends a syncerror to the requester only */
  fcm_probe_ctx_sleep (ctx, 0.2);
  PT_YIELD (ctx);
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  for (guint i = 0; i < s->sub->sent->len; i++)
    if (fcm_event_name_equal (((FcmSpSent *) g_ptr_array_index (s->sub->sent, i))->name, "syncerror"))
      syncerror = g_ptr_array_index (s->sub->sent, i);
  if (syncerror == NULL)
    {
      fcm_probe_skip (ctx, _("The socket was gone before the syncerror could be sent"));
      PT_EXIT (ctx);
    }
  a = fcm_sp_find_ack (s->sub, syncerror->id);
  fcm_probe_check (ctx, a != NULL && a->has_status, "C-63",
                   a != NULL && a->has_status ? _("The app acknowledged the syncerror about its request")
                                              : _("The app did not acknowledge (with a status) the syncerror about its request"));

  /* C-51: no resend sooner than 10 s */
  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  first = g_ptr_array_index (self->requests, 0);
  for (guint i = 1; i < self->requests->len; i++)
    {
      FcmSpRequest *r = g_ptr_array_index (self->requests, i);
      double after = (r->at - first->at) / (double) G_USEC_PER_SEC;

      if (after < 10 && (g_strcmp0 (r->id, first->id) == 0 || g_strcmp0 (r->timestamp, first->timestamp) == 0))
        {
          fcm_probe_fail (ctx, "C-51", _("The app resent its rejected request after %.1f s (wait at least 10 s)"), after);
          break;
        }
    }
  PT_END (ctx);
}

/* ------------------------------------------------------------------- denial */

static gboolean
resubscribed_cond (FcmProbeCtx *ctx,
                   gpointer     data)
{
  return fcm_sp_find_unclaimed (fcm_sp_probe (ctx), FALSE) != NULL;
}

static void
denial (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  fcm_sp_send_denial (s->sub, "denied by the fhircast probe");
  fcm_sp_close (s->sub, SOUP_WEBSOCKET_CLOSE_NORMAL, "denied");
  s->sub->retired = TRUE;
  fcm_probe_ctx_wait (ctx, resubscribed_cond, NULL, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_sp_find_unclaimed (fcm_sp_probe (ctx), FALSE) == NULL, "C-20",
                   fcm_sp_find_unclaimed (fcm_sp_probe (ctx), FALSE) == NULL
                   ? _("After the denial the app did not subscribe again (%.1f s watched)")
                   : _("After the denial the app subscribed again within %.1f s"),
                   fcm_probe_ctx_timeout (ctx));
  PT_END (ctx);
}

/* -------------------------------------------------------------- unsubscribe */

static gboolean
closed_cond (FcmProbeCtx *ctx,
             gpointer     data)
{
  FcmSpSub *sub = data;

  return sub->closed;
}

static gboolean
unsubscribed_cond (FcmProbeCtx *ctx,
                   gpointer     data)
{
  FcmSpSub *sub = data;

  return sub->unsubscribe != NULL;
}

static void
unsubscribe (FcmProbeCtx *ctx)
{
  Plain *s = ctx->state;
  g_autofree char *endpoint = NULL;
  GHashTable *form;

  PT_BEGIN (ctx);
  WAIT_FOR_APP (ctx, s);
  wait_all_acked (ctx, s->sub);
  PT_YIELD (ctx);

  fcm_sp_request_action (ctx, FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT);
  fcm_probe_ctx_wait (ctx, closed_cond, s->sub, fcm_sp_connect_timeout (fcm_sp_probe (ctx)));
  PT_YIELD (ctx);
  /* an app may close before its unsubscribe has arrived */
  fcm_probe_ctx_wait (ctx, unsubscribed_cond, s->sub, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);

  form = s->sub->unsubscribe;
  if (fcm_probe_check (ctx, form != NULL, "C-40", form != NULL ? _("The app unsubscribed")
                                                               : _("The app left without unsubscribing")))
    {
      endpoint = g_strstrip (g_strdup (g_hash_table_lookup (form, "hub.channel.endpoint") ?: ""));
      fcm_probe_check (ctx, g_strcmp0 (g_hash_table_lookup (form, "hub.channel.type"), "websocket") == 0 &&
                       g_strcmp0 (g_hash_table_lookup (form, "hub.topic"), s->sub->probe->topic) == 0 &&
                       g_strcmp0 (endpoint, s->sub->endpoint) == 0, "C-40",
                       _("The unsubscribe carries hub.channel.type, hub.mode, hub.topic and the endpoint"));
    }
  if (!s->sub->closed)
    fcm_probe_fail (ctx, "C-42", _("The app did not close its socket"));
  else if (s->sub->close_code == SOUP_WEBSOCKET_CLOSE_NORMAL)
    fcm_probe_note (ctx, "C-42", _("The app closed its socket with 1000"));
  else if (s->sub->close_code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    fcm_probe_warn (ctx, "C-42", _("The app closed its socket with 1001 (1000 expected)"));
  else
    fcm_probe_fail (ctx, "C-42", _("The app closed its socket with %u (1000 expected)"), s->sub->close_code);
  PT_END (ctx);
}

/* -------------------------------------------------------------------- table */

#define SCENARIO(fn, type, clear) fn, sizeof (type), clear

const FcmProbeScenario fcm_probe_subscriber_scenarios[] = {
  { { "subscribe", N_("Subscribe request"), "C-11,C-12,C-17",
      N_("The app subscribes with a valid form (subscriber.name, the IRA events) and connects to its endpoint") },
    SCENARIO (subscribe, Plain, NULL), 0 },
  { { "refetch-connect", N_("Current context after connecting"), "C-22",
      N_("The app fetches the current context after subscribing") },
    SCENARIO (refetch_connect, Plain, NULL), 0 },
  { { "ack", N_("Acknowledges every notification"), "C-28,C-63",
      N_("Open (replayed), update, select, a syncerror and close are each acked with {id, status}") },
    SCENARIO (ack, Plain, NULL), 0 },
  { { "duplicate", N_("Duplicate notification"), "C-67,C-28",
      N_("The same notification sent twice (same id) is acked twice") },
    SCENARIO (duplicate, Duplicate, duplicate_clear), 0 },
  { { "malformed", N_("Malformed frames"), "C-28,C-25",
      N_("Text that is not JSON, JSON that is not FHIRcast and a binary frame, then a valid event: still acked") },
    SCENARIO (survive, Survive, survive_clear), 0 },
  { { "oversized", N_("Oversized notification"), "C-59,C-26",
      N_("A 2 MiB notification, then a valid event: acked (on the same socket, or after resubscribing)") },
    SCENARIO (survive, Survive, survive_clear), 0 },
  { { "version-gap", N_("Refetch after a version gap"), "C-33,C-54",
      N_("An update whose priorVersionId the app never saw makes it fetch the current context") },
    SCENARIO (version_gap, VersionGap, version_gap_clear), 0 },
  { { "renew", N_("Lease renewal"), "C-23",
      N_("With a short lease the app renews (same topic and endpoint) before it runs out") },
    SCENARIO (renew, Plain, NULL), FCM_PROBE_SCENARIO_SHORT_LEASE },
  { { "reconnect", N_("Reconnect after a dropped socket"), "C-68",
      N_("The probe drops the connection: the app subscribes anew and connects to the new endpoint") },
    SCENARIO (reconnect, Reconnect, NULL), 0 },
  { { "async-reject", N_("Request accepted, then rejected"), "C-49,C-63,C-51",
      N_("The app's context change gets 202, then a syncerror to it alone: acked, and not resent within 10 s") },
    SCENARIO (async_reject, Plain, NULL), FCM_PROBE_SCENARIO_PUBLISH },
  { { "denial", N_("Stops after a denial"), "C-20",
      N_("After a denial and a close the app does not subscribe again by itself") },
    SCENARIO (denial, Plain, NULL), 0 },
  { { "unsubscribe", N_("Unsubscribes and closes with 1000"), "C-40,C-42",
      N_("Told to stop, the app unsubscribes (all four fields) and closes its socket with 1000") },
    SCENARIO (unsubscribe, Plain, NULL), 0 },
};

const guint fcm_probe_subscriber_n_scenarios = G_N_ELEMENTS (fcm_probe_subscriber_scenarios);

/* fcm-probe-hub-util.c: what the hub probe's scenarios share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-hub-private.h"

/* {hub.url}/{topic}: Get Current Context (C-52) */
char *
fcm_probe_hub_topic_url (FcmProbeCtx *ctx,
                         const char  *topic)
{
  g_autofree char *escaped = g_uri_escape_string (topic, NULL, FALSE);

  return g_strconcat (ctx->hub_url, "/", escaped, NULL);
}

/**
 * fcm_probe_hub_post_event:
 * @version_id: (nullable): `context.versionId` for an update
 * @out_id: (out) (optional): the event id used (a new UUID)
 *
 * POSTs a context change on the scenario's topic (C-44).
 */
void
fcm_probe_hub_post_event (FcmProbeCtx  *ctx,
                          const char   *event_name,
                          JsonArray    *context,
                          const char   *version_id,
                          char        **out_id)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = fcm_probe_now_iso ();
  g_autofree char *body = fcm_probe_message_new (id, now, ctx->topic, event_name, context,
                                                 version_id, NULL);

  if (out_id != NULL)
    {
      g_free (*out_id);
      *out_id = g_steal_pointer (&id);
    }
  fcm_probe_ctx_http (ctx, "POST", ctx->hub_url, "application/json", body, -1);
}

void
fcm_probe_hub_post_raw (FcmProbeCtx *ctx,
                        const char  *body,
                        gssize       len)
{
  fcm_probe_ctx_http (ctx, "POST", ctx->hub_url, "application/json", body, len);
}

/* Closes the report in the teardown unless the scenario closes it first. */
void
fcm_probe_hub_remember_open (FcmProbeCtx *ctx,
                             const char  *report,
                             const char  *patient,
                             const char  *study)
{
  g_ptr_array_add (ctx->open_reports, g_strjoin ("\x1f", report, patient, study, NULL));
}

void
fcm_probe_hub_forget_open (FcmProbeCtx *ctx,
                           const char  *report)
{
  g_autofree char *prefix = g_strconcat (report, "\x1f", NULL);

  for (guint i = ctx->open_reports->len; i > 0; i--)
    if (g_str_has_prefix (g_ptr_array_index (ctx->open_reports, i - 1), prefix))
      g_ptr_array_remove_index (ctx->open_reports, i - 1);
}

/* An endpoint the hub granted to a request it should have refused: unsubscribe it later. */
void
fcm_probe_hub_add_stray (FcmProbeCtx *ctx,
                         const char  *topic)
{
  g_autoptr(JsonObject) obj = fcm_probe_ctx_body_object (ctx);
  const char *endpoint = obj != NULL ? fcm_json_get_string (obj, "hub.channel.endpoint") : NULL;

  if (endpoint != NULL && topic != NULL)
    g_ptr_array_add (ctx->strays, g_strjoin ("\x1f", topic, endpoint, NULL));
}

static gboolean
open_all_chain (FcmProbeCtx *ctx,
                gpointer     data)
{
  for (guint i = 0; i < ctx->subs->len; i++)
    {
      FcmProbeSub *sub = g_ptr_array_index (ctx->subs, i);

      if (sub->opened)
        {
          if (sub->failure != NULL)
            return FALSE;
          continue;
        }
      if (fcm_probe_sub_open_step (ctx, sub))
        return TRUE;
      if (sub->failure != NULL)
        return FALSE;
    }
  return FALSE;
}

/**
 * fcm_probe_hub_open_all:
 *
 * Opens (subscribe, connect, confirmation) every scripted subscriber of the
 * scenario not opened yet, one after the other; stops at the first failure.
 */
void
fcm_probe_hub_open_all (FcmProbeCtx *ctx)
{
  fcm_probe_ctx_chain (ctx, open_all_chain, NULL);
}

/* Skips the scenario when a subscriber could not be opened. */
gboolean
fcm_probe_hub_subs_ready (FcmProbeCtx *ctx)
{
  for (guint i = 0; i < ctx->subs->len; i++)
    {
      FcmProbeSub *sub = g_ptr_array_index (ctx->subs, i);

      if (sub->failure != NULL || !sub->confirmed)
        {
          fcm_probe_skip (ctx, _("Could not set up the scripted subscribers: %s"),
                          sub->failure != NULL ? sub->failure : sub->label);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * fcm_probe_hub_accepted:
 *
 * Checks that the last request was accepted (200/201 processed, 202 to be
 * processed asynchronously, H-17); a failure of @rule otherwise.
 */
gboolean
fcm_probe_hub_accepted (FcmProbeCtx *ctx,
                        const char  *rule,
                        const char  *what)
{
  if (ctx->error != NULL)
    {
      fcm_probe_fail (ctx, rule, _("%s: no answer: %s"), what, ctx->error->message);
      return FALSE;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (ctx->status))
    {
      fcm_probe_fail (ctx, rule, _("%s was refused with %u: %.200s"), what, ctx->status,
                      ctx->body != NULL ? ctx->body : "");
      return FALSE;
    }
  fcm_probe_note (ctx, rule, _("%s was accepted (%u)"), what, ctx->status);
  return TRUE;
}

/**
 * fcm_probe_hub_expect_4xx:
 * @wanted: the status the spec names (400, 409, 413)
 *
 * A refusal with @wanted passes; another 4xx is a warning (refused, but not
 * as specified); a 2xx, a 5xx or no answer fails @rule.
 */
void
fcm_probe_hub_expect_4xx (FcmProbeCtx *ctx,
                          guint        wanted,
                          const char  *rule,
                          const char  *what)
{
  if (ctx->error != NULL)
    fcm_probe_fail (ctx, rule, _("%s: no answer (expected %u): %s"), what, wanted, ctx->error->message);
  else if (ctx->status == wanted)
    fcm_probe_note (ctx, rule, _("%s: refused with %u"), what, ctx->status);
  else if (ctx->status >= 400 && ctx->status < 500)
    fcm_probe_warn (ctx, rule, _("%s: refused with %u; the spec names %u"), what, ctx->status, wanted);
  else
    fcm_probe_fail (ctx, rule, _("%s: answered %u, expected %u"), what, ctx->status, wanted);
}

/* A string member of a frame's event (or of the frame itself for "id"/"timestamp"). */
char *
fcm_probe_hub_event_string (FcmProbeFrame *frame,
                            const char    *member)
{
  JsonObject *event = fcm_probe_frame_event (frame);

  if (frame == NULL || frame->json == NULL || !JSON_NODE_HOLDS_OBJECT (frame->json))
    return NULL;
  if (g_str_equal (member, "id") || g_str_equal (member, "timestamp"))
    return g_strdup (fcm_json_get_string (json_node_get_object (frame->json), member));
  return event != NULL ? g_strdup (fcm_json_get_string (event, member)) : NULL;
}

static gboolean
waitset_cond (FcmProbeCtx *ctx,
              gpointer     data)
{
  for (guint i = 0; i < ctx->n_waitset; i++)
    {
      FcmProbeSub *sub = ctx->waitset[i];

      if (sub->ws != NULL && !sub->closed &&
          fcm_probe_sub_find (sub, ctx->waitset_match, ctx->waitset_arg) == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * fcm_probe_hub_wait_subs:
 *
 * Resumes when each of @subs has a matching frame (or a closed socket), or
 * after @seconds.
 */
void
fcm_probe_hub_wait_subs (FcmProbeCtx   *ctx,
                         FcmProbeSub  **subs,
                         guint          n_subs,
                         FcmProbeMatch  match,
                         const char    *arg,
                         double         seconds)
{
  g_return_if_fail (n_subs <= G_N_ELEMENTS (ctx->waitset));

  for (guint i = 0; i < n_subs; i++)
    ctx->waitset[i] = subs[i];
  ctx->n_waitset = n_subs;
  ctx->waitset_match = match;
  g_free (ctx->waitset_arg);
  ctx->waitset_arg = g_strdup (arg);
  fcm_probe_ctx_wait (ctx, waitset_cond, NULL, seconds);
}

/* ---------------------------------------------------------- report contexts */

/* The ids of one report context the scenario opens. */
void
fcm_probe_hub_ids_init (FcmProbeIds *ids)
{
  ids->report = fcm_probe_random_id ("probe-rpt");
  ids->patient = fcm_probe_random_id ("probe-pat");
  ids->study = fcm_probe_random_id ("probe-st");
  ids->observation = fcm_probe_random_id ("probe-obs");
}

void
fcm_probe_hub_ids_clear (FcmProbeIds *ids)
{
  g_clear_pointer (&ids->report, g_free);
  g_clear_pointer (&ids->patient, g_free);
  g_clear_pointer (&ids->study, g_free);
  g_clear_pointer (&ids->observation, g_free);
}

void
fcm_probe_hub_post_open (FcmProbeCtx  *ctx,
           FcmProbeIds          *ids,
           char        **out_id)
{
  g_autoptr(JsonArray) context = fcm_probe_context_open (ids->report, ids->patient, ids->study);

  fcm_probe_hub_remember_open (ctx, ids->report, ids->patient, ids->study);
  fcm_probe_hub_post_event (ctx, "DiagnosticReport-open", context, NULL, out_id);
}

void
fcm_probe_hub_post_close (FcmProbeCtx  *ctx,
            FcmProbeIds          *ids,
            char        **out_id)
{
  g_autoptr(JsonArray) context = fcm_probe_context_close (ids->report, ids->patient, ids->study);

  fcm_probe_hub_forget_open (ctx, ids->report);
  fcm_probe_hub_post_event (ctx, "DiagnosticReport-close", context, NULL, out_id);
}

void
fcm_probe_hub_post_update (FcmProbeCtx  *ctx,
             FcmProbeIds          *ids,
             const char   *version,
             char        **out_id)
{
  g_autoptr(JsonArray) context = fcm_probe_context_update (ids->report, ids->patient, ids->study,
                                                           ids->observation, 12.5);

  fcm_probe_hub_post_event (ctx, "DiagnosticReport-update", context, version, out_id);
}

/* Takes @sub's notification with @id and checks what every notification
 * needs (H-18, H-31). Returns: (transfer none) (nullable): the frame */
FcmProbeFrame *
fcm_probe_hub_take_notification (FcmProbeCtx *ctx,
                   FcmProbeSub *sub,
                   const char  *id,
                   const char  *event_name)
{
  FcmProbeFrame *frame = fcm_probe_sub_take (sub, FCM_PROBE_MATCH_EVENT_ID, id);
  g_autofree char *name = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *topic = NULL;

  if (frame == NULL)
    {
      FcmProbeFrame *other = fcm_probe_sub_find (sub, FCM_PROBE_MATCH_EVENT_NAME, event_name);
      g_autofree char *other_id = fcm_probe_hub_event_string (other, "id");

      if (other != NULL)
        fcm_probe_fail (ctx, "H-18", _("%s got %s with the id “%s”, not the requester's “%s”"),
                        sub->label, event_name, other_id ? other_id : "", id);
      else
        fcm_probe_fail (ctx, "H-18", _("%s got no %s within %.1f s"), sub->label, event_name,
                        fcm_probe_ctx_timeout (ctx));
      return NULL;
    }
  name = fcm_probe_hub_event_string (frame, "hub.event");
  timestamp = fcm_probe_hub_event_string (frame, "timestamp");
  topic = fcm_probe_hub_event_string (frame, "hub.topic");
  fcm_probe_check (ctx, name != NULL && fcm_event_name_equal (name, event_name), "H-18",
                   _("%s got %s with the requester's id (hub.event “%s”)"), sub->label, event_name,
                   name ? name : "");
  fcm_probe_check (ctx, timestamp != NULL && fcm_json_parse_timestamp (timestamp, NULL), "H-31",
                   _("%s: the notification has a timestamp (“%s”)"), sub->label, timestamp ? timestamp : "");
  fcm_probe_check (ctx, g_strcmp0 (topic, ctx->topic) == 0, "H-31",
                   _("%s: the notification names the topic"), sub->label);
  fcm_probe_validate (ctx, event_name, frame->json, FCM_VALIDATOR_ROLE_NOTIFICATION, TRUE);
  return frame;
}

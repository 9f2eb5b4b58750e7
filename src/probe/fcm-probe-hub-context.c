/* fcm-probe-hub-context.c: hub scenarios about context changes
 *
 * broadcast, version-chain, not-open, context-invalid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-hub-private.h"

/* ---------------------------------------------------------------- broadcast */

static const char * const broadcast_events[] = {
  "DiagnosticReport-open", "DiagnosticReport-update", "DiagnosticReport-select", "DiagnosticReport-close",
};

typedef struct
{
  FcmProbeSub *subs[2];
  FcmProbeIds          ids;
  char        *id;
  char        *version;
  guint        i;
  guint        j;
} Broadcast;

static void
broadcast_clear (gpointer data)
{
  Broadcast *s = data;

  fcm_probe_hub_ids_clear (&s->ids);
  g_clear_pointer (&s->id, g_free);
  g_clear_pointer (&s->version, g_free);
}

static void
broadcast (FcmProbeCtx *ctx)
{
  Broadcast *s = ctx->state;
  g_autoptr(JsonArray) context = NULL;
  g_autofree char *reference = NULL;
  FcmProbeFrame *frame;
  const char *event;

  PT_BEGIN (ctx);
  fcm_probe_hub_ids_init (&s->ids);
  s->subs[0] = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  /* H-06 / H-18: event names match case-insensitively */
  s->subs[1] = fcm_probe_sub_new (ctx, "B", ctx->topic,
                                  "diagnosticreport-open,diagnosticreport-close,diagnosticreport-update,"
                                  "diagnosticreport-select,syncerror");
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  for (s->i = 0; s->i < G_N_ELEMENTS (broadcast_events); s->i++)
    {
      event = broadcast_events[s->i];
      if (s->i == 0)
        fcm_probe_hub_post_open (ctx, &s->ids, &s->id);
      else if (s->i == 1)
        {
          if (s->version == NULL)
            {
              fcm_probe_warn (ctx, "H-23", _("The open had no context.versionId: the update is not tried"));
              continue;
            }
          fcm_probe_hub_post_update (ctx, &s->ids, s->version, &s->id);
        }
      else if (s->i == 2)
        {
          reference = g_strconcat ("Observation/", s->ids.observation, NULL);
          context = fcm_probe_context_select (s->ids.report, s->ids.patient, reference);
          fcm_probe_hub_post_event (ctx, event, context, NULL, &s->id);
        }
      else
        fcm_probe_hub_post_close (ctx, &s->ids, &s->id);
      PT_YIELD (ctx);

      if (!fcm_probe_hub_accepted (ctx, "H-17", broadcast_events[s->i]))
        {
          if (s->i == 0)
            PT_EXIT (ctx);
          continue;
        }
      fcm_probe_hub_wait_subs (ctx, s->subs, 2, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
      PT_YIELD (ctx);
      for (s->j = 0; s->j < 2; s->j++)
        {
          frame = fcm_probe_hub_take_notification (ctx, s->subs[s->j], s->id, broadcast_events[s->i]);
          if (frame == NULL && s->i == 0)
            PT_EXIT (ctx);          /* without the open the rest would only fail the same way */
          if (frame != NULL && s->j == 0 && s->i <= 1)
            {
              g_free (s->version);
              s->version = fcm_probe_hub_event_string (frame, "context.versionId");
            }
        }
    }
  PT_END (ctx);
}

/* ------------------------------------------------------------ version-chain */

typedef struct
{
  FcmProbeSub *a;
  FcmProbeIds          ids, second;
  char        *id;
  char        *stale_id;
  char        *v[4];
} VersionChain;

static void
version_chain_clear (gpointer data)
{
  VersionChain *s = data;

  fcm_probe_hub_ids_clear (&s->ids);
  fcm_probe_hub_ids_clear (&s->second);
  g_clear_pointer (&s->id, g_free);
  g_clear_pointer (&s->stale_id, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (s->v); i++)
    g_clear_pointer (&s->v[i], g_free);
}

/* Checks the update broadcast: a new versionId, priorVersionId = @prior (H-24). */
static char *
check_update_versions (FcmProbeCtx *ctx,
                       FcmProbeSub *sub,
                       const char  *id,
                       const char  *prior)
{
  FcmProbeFrame *frame = fcm_probe_hub_take_notification (ctx, sub, id, "DiagnosticReport-update");
  g_autofree char *version = fcm_probe_hub_event_string (frame, "context.versionId");
  g_autofree char *got_prior = fcm_probe_hub_event_string (frame, "context.priorVersionId");

  if (frame == NULL)
    return NULL;
  fcm_probe_check (ctx, version != NULL && g_strcmp0 (version, prior) != 0, "H-24",
                   _("The update broadcast has a new context.versionId (“%s”)"), version ? version : "");
  fcm_probe_check (ctx, g_strcmp0 (got_prior, prior) == 0, "H-24",
                   _("The update broadcast's context.priorVersionId is the version it replaced (“%s”, expected “%s”)"),
                   got_prior ? got_prior : "", prior);
  return g_steal_pointer (&version);
}

static void
version_chain (FcmProbeCtx *ctx)
{
  VersionChain *s = ctx->state;
  g_autofree char *url = NULL;
  g_autoptr(JsonObject) obj = NULL;
  FcmProbeFrame *frame;

  PT_BEGIN (ctx);
  fcm_probe_hub_ids_init (&s->ids);
  fcm_probe_hub_ids_init (&s->second);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  fcm_probe_hub_post_open (ctx, &s->ids, &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-open"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_hub_take_notification (ctx, s->a, s->id, "DiagnosticReport-open");
  s->v[0] = fcm_probe_hub_event_string (frame, "context.versionId");
  if (!fcm_probe_check (ctx, s->v[0] != NULL && s->v[0][0] != '\0', "H-23",
                        _("The open broadcast carries context.versionId (“%s”)"), s->v[0] ? s->v[0] : ""))
    PT_EXIT (ctx);

  url = fcm_probe_hub_topic_url (ctx, ctx->topic);
  fcm_probe_ctx_http (ctx, "GET", url, NULL, NULL, 0);
  PT_YIELD (ctx);
  obj = fcm_probe_ctx_body_object (ctx);
  fcm_probe_check (ctx, obj != NULL && g_strcmp0 (fcm_json_get_string (obj, "context.versionId"), s->v[0]) == 0,
                   "H-29", _("Get Current Context reports the open's versionId"));
  g_clear_pointer (&obj, json_object_unref);

  /* an update on the current version: a new version, the old one as prior */
  fcm_probe_hub_post_update (ctx, &s->ids, s->v[0], &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-24", _("An update with the current versionId")))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  s->v[1] = check_update_versions (ctx, s->a, s->id, s->v[0]);
  if (s->v[1] == NULL)
    PT_EXIT (ctx);

  /* an update on the old version: refused, or 202 and a syncerror (H-24) */
  fcm_probe_hub_post_update (ctx, &s->ids, s->v[0], &s->stale_id);
  PT_YIELD (ctx);
  if (ctx->error != NULL || ctx->status >= 500)
    fcm_probe_fail (ctx, "H-24", _("An update with a stale versionId got no clean answer (%u)"), ctx->status);
  else if (ctx->status == 400)
    fcm_probe_note (ctx, "H-24", _("An update with a stale versionId was refused with 400"));
  else if (ctx->status >= 400 && ctx->status < 500)
    fcm_probe_warn (ctx, "H-24", _("An update with a stale versionId was refused with %u; IRA names 400"), ctx->status);
  else if (ctx->status == 202)
    {
      fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_SYNCERROR, s->stale_id, fcm_probe_ctx_timeout (ctx));
      PT_YIELD (ctx);
      frame = fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_SYNCERROR, s->stale_id);
      fcm_probe_check (ctx, frame != NULL, "H-24", _("An update with a stale versionId: 202, then %s"),
                       frame != NULL ? _("a syncerror") : _("no syncerror"));
    }
  else
    fcm_probe_fail (ctx, "H-24", _("An update with a stale versionId was accepted (%u)"), ctx->status);
  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_probe_sub_count (s->a, FCM_PROBE_MATCH_EVENT_ID, s->stale_id) == 0, "H-25",
                   _("The refused update was %s"),
                   fcm_probe_sub_count (s->a, FCM_PROBE_MATCH_EVENT_ID, s->stale_id) == 0 ? _("not broadcast")
                                                                                          : _("broadcast anyway"));

  /* and on from the new version */
  fcm_probe_hub_post_update (ctx, &s->ids, s->v[1], &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-24", _("An update with the new versionId")))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  s->v[2] = check_update_versions (ctx, s->a, s->id, s->v[1]);

  /* H-23: every open gets a versionId unique in the topic */
  fcm_probe_hub_post_open (ctx, &s->second, &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", _("A second DiagnosticReport-open")))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_hub_take_notification (ctx, s->a, s->id, "DiagnosticReport-open");
  s->v[3] = fcm_probe_hub_event_string (frame, "context.versionId");
  fcm_probe_check (ctx, s->v[3] != NULL && g_strcmp0 (s->v[3], s->v[0]) != 0 &&
                   g_strcmp0 (s->v[3], s->v[1]) != 0 && g_strcmp0 (s->v[3], s->v[2]) != 0, "H-23",
                   _("The second open's versionId is new in the topic (“%s”)"), s->v[3] ? s->v[3] : "");
  PT_END (ctx);
}

/* ----------------------------------------------------------------- not-open */

typedef struct
{
  FcmProbeSub *a;
  FcmProbeIds          ids;
  guint        i;
} NotOpen;

static void
not_open_clear (gpointer data)
{
  fcm_probe_hub_ids_clear (&((NotOpen *) data)->ids);
}

static void
not_open (FcmProbeCtx *ctx)
{
  NotOpen *s = ctx->state;
  g_autoptr(JsonArray) context = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *what = NULL;
  const char *events[] = { "DiagnosticReport-close", "DiagnosticReport-update", "DiagnosticReport-select" };

  PT_BEGIN (ctx);
  fcm_probe_hub_ids_init (&s->ids);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  for (s->i = 0; s->i < G_N_ELEMENTS (events); s->i++)
    {
      if (s->i == 0)
        context = fcm_probe_context_close (s->ids.report, s->ids.patient, s->ids.study);
      else if (s->i == 1)
        context = fcm_probe_context_update (s->ids.report, s->ids.patient, s->ids.study, s->ids.observation, 1);
      else
        {
          reference = g_strconcat ("Observation/", s->ids.observation, NULL);
          context = fcm_probe_context_select (s->ids.report, s->ids.patient, reference);
        }
      fcm_probe_hub_post_event (ctx, events[s->i], context, s->i == 1 ? "probe-version-none" : NULL, NULL);
      PT_YIELD (ctx);
      what = g_strdup_printf (_("%s of a report that was never opened"), events[s->i]);
      if (ctx->error == NULL && ctx->status == 409)
        fcm_probe_note (ctx, "H-16", _("%s: 409 Conflict"), what);
      else if (ctx->error != NULL)
        fcm_probe_fail (ctx, "H-16", _("%s: no answer: %s"), what, ctx->error->message);
      else
        fcm_probe_fail (ctx, "H-16", _("%s: answered %u (expected 409)"), what, ctx->status);
      g_clear_pointer (&what, g_free);
    }
  PT_END (ctx);
}

/* ---------------------------------------------------------- context-invalid */

static const char * const invalid_contexts[] = {
  N_("a message without timestamp"),
  N_("a message without id"),
  N_("a message without event"),
  N_("an event for a topic nobody subscribed to"),
  N_("DiagnosticReport-open without patient"),
  N_("DiagnosticReport-open without study"),
  N_("DiagnosticReport-close without report"),
  N_("DiagnosticReport-update without updates"),
  N_("DiagnosticReport-select without select"),
  N_("syncerror without operationoutcome"),
  N_("a body that is not JSON"),
};

typedef struct
{
  FcmProbeSub *a;
  FcmProbeIds          ids;
  char        *id;
  char        *version;
  guint        i;
} ContextInvalid;

static void
context_invalid_clear (gpointer data)
{
  ContextInvalid *s = data;

  fcm_probe_hub_ids_clear (&s->ids);
  g_clear_pointer (&s->id, g_free);
  g_clear_pointer (&s->version, g_free);
}

/* Removes the context entries with @key. */
static void
drop_key (JsonArray  *context,
          const char *key)
{
  for (guint i = json_array_get_length (context); i > 0; i--)
    {
      JsonObject *item = fcm_json_array_get_object (context, i - 1);

      if (item != NULL && g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        json_array_remove_element (context, i - 1);
    }
}

static char *
invalid_body (FcmProbeCtx    *ctx,
              ContextInvalid *s)
{
  g_autofree char *now = fcm_probe_now_iso ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *reference = g_strconcat ("Observation/", s->ids.observation, NULL);
  g_autofree char *nobody = fcm_probe_random_id ("fhircast-probe-nobody");
  g_autoptr(JsonArray) context = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *event = "DiagnosticReport-open";
  const char *topic = ctx->topic;
  const char *version = NULL;
  JsonObject *obj;

  switch (s->i)
    {
    case 6:
      event = "DiagnosticReport-close";
      context = fcm_probe_context_close (s->ids.report, s->ids.patient, s->ids.study);
      drop_key (context, "report");
      break;
    case 7:
      event = "DiagnosticReport-update";
      version = s->version;
      context = fcm_probe_context_update (s->ids.report, s->ids.patient, s->ids.study, s->ids.observation, 3);
      drop_key (context, "updates");
      break;
    case 8:
      event = "DiagnosticReport-select";
      context = fcm_probe_context_select (s->ids.report, s->ids.patient, reference);
      drop_key (context, "select");
      break;
    case 9:
      event = "syncerror";
      context = fcm_probe_context_syncerror (s->id, "DiagnosticReport-open", "fhircast probe A", "probe");
      drop_key (context, "operationoutcome");
      break;
    case 10:
      return g_strdup ("{\"timestamp\": \"not JSON");
    default:
      {
        g_autofree char *other = fcm_probe_random_id ("probe-rpt");

        context = fcm_probe_context_open (other, s->ids.patient, s->ids.study);
        if (s->i == 4)
          drop_key (context, "patient");
        if (s->i == 5)
          drop_key (context, "study");
        if (s->i == 3)
          topic = nobody;
      }
      break;
    }
  text = fcm_probe_message_new (id, now, topic, event, context, version, NULL);
  root = fcm_json_parse (text, -1, NULL);
  obj = json_node_get_object (root);
  if (s->i == 0)
    json_object_remove_member (obj, "timestamp");
  if (s->i == 1)
    json_object_remove_member (obj, "id");
  if (s->i == 2)
    json_object_remove_member (obj, "event");
  return fcm_json_to_string (root, FALSE);
}

static void
context_invalid (FcmProbeCtx *ctx)
{
  ContextInvalid *s = ctx->state;
  g_autofree char *body = NULL;
  g_autofree char *what = NULL;
  FcmProbeFrame *frame;

  PT_BEGIN (ctx);
  fcm_probe_hub_ids_init (&s->ids);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  /* an open report, so that update and select are refused for their shape, not with 409 */
  fcm_probe_hub_post_open (ctx, &s->ids, &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-open"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id);
  s->version = fcm_probe_hub_event_string (frame, "context.versionId");

  for (s->i = 0; s->i < G_N_ELEMENTS (invalid_contexts); s->i++)
    {
      body = invalid_body (ctx, s);
      fcm_probe_hub_post_raw (ctx, body, -1);
      PT_YIELD (ctx);
      what = g_strdup_printf (_("POST %s"), _(invalid_contexts[s->i]));
      fcm_probe_hub_expect_4xx (ctx, 400, "H-15", what);
      g_clear_pointer (&what, g_free);
    }
  PT_END (ctx);
}

/* -------------------------------------------------------------------- table */

#define SCENARIO(fn, type, clear) fn, sizeof (type), clear

const FcmProbeScenario fcm_probe_hub_context_scenarios[] = {
  { { "broadcast", N_("Context changes are broadcast"), "H-17,H-18,H-31,H-06",
      N_("Open, update, select and close by subscriber A are accepted and reach A and B (B subscribed in lower "
         "case) with the requester's id, a timestamp and the topic") },
    SCENARIO (broadcast, Broadcast, broadcast_clear) },
  { { "version-chain", N_("versionId chain"), "H-23,H-24,H-25,H-29",
      N_("Each open gets a new versionId; an update on the current version gets a new one with the old as "
         "priorVersionId; an update on a stale version is refused and not broadcast") },
    SCENARIO (version_chain, VersionChain, version_chain_clear) },
  { { "not-open", N_("409 for a context that is not open"), "H-16",
      N_("Close, update and select of a report that was never opened: 409 Conflict each") },
    SCENARIO (not_open, NotOpen, not_open_clear) },
  { { "context-invalid", N_("Invalid context changes"), "H-15",
      N_("Context changes lacking timestamp, id, event, a known topic or a required context key, and a body "
         "that is not JSON: 400 each") },
    SCENARIO (context_invalid, ContextInvalid, context_invalid_clear) },
};

const guint fcm_probe_hub_context_n_scenarios = G_N_ELEMENTS (fcm_probe_hub_context_scenarios);

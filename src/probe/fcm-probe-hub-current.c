/* fcm-probe-hub-current.c: hub scenarios about the current context
 *
 * get-context, replay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-hub-private.h"

/* -------------------------------------------------------------- get-context */

typedef struct
{
  FcmProbeSub *a;
  FcmProbeIds          ids;
  char        *id;
  char        *version;
  char        *report_item;
  char        *url;
} GetContext;

static void
get_context_clear (gpointer data)
{
  GetContext *s = data;

  fcm_probe_hub_ids_clear (&s->ids);
  g_clear_pointer (&s->id, g_free);
  g_clear_pointer (&s->version, g_free);
  g_clear_pointer (&s->report_item, g_free);
  g_clear_pointer (&s->url, g_free);
}

/* The context entry with @key (and its `resource`, if any). */
static JsonObject *
context_item (JsonObject  *answer,
              const char  *key,
              JsonObject **out_resource)
{
  JsonArray *context = fcm_json_get_array (answer, "context");

  for (guint i = 0; context != NULL && i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);

      if (item != NULL && g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        {
          if (out_resource != NULL)
            *out_resource = fcm_json_get_object (item, "resource");
          return item;
        }
    }
  if (out_resource != NULL)
    *out_resource = NULL;
  return NULL;
}

/* Checks the content Bundle (H-29) and returns its entries. */
static JsonArray *
check_content (FcmProbeCtx *ctx,
               JsonObject  *answer)
{
  JsonObject *bundle = NULL;
  JsonArray *entries;
  gboolean no_request = TRUE;

  context_item (answer, "content", &bundle);
  if (!fcm_probe_check (ctx, bundle != NULL && g_strcmp0 (fcm_json_get_string (bundle, "resourceType"), "Bundle") == 0,
                        "H-29", bundle != NULL ? _("The answer has a content Bundle")
                                               : _("The answer has no content Bundle (IRA requires one)")))
    return NULL;
  fcm_probe_check (ctx, g_strcmp0 (fcm_json_get_string (bundle, "type"), "collection") == 0, "H-29",
                   _("The content Bundle's type is “%s” (expected collection)"),
                   fcm_json_get_string (bundle, "type") ? fcm_json_get_string (bundle, "type") : "");
  entries = fcm_json_get_array (bundle, "entry");
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = fcm_json_array_get_object (entries, i);

      if (entry != NULL && json_object_has_member (entry, "request"))
        no_request = FALSE;
    }
  fcm_probe_check (ctx, no_request, "H-29", no_request ? _("No content entry carries a request")
                                                       : _("A content entry carries a request"));
  return entries;
}

static void
get_context (FcmProbeCtx *ctx)
{
  GetContext *s = ctx->state;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *resource, *item;
  JsonArray *entries;
  const char *type;
  gboolean found = FALSE;

  PT_BEGIN (ctx);
  fcm_probe_hub_ids_init (&s->ids);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  /* no context yet */
  s->url = fcm_probe_hub_topic_url (ctx, ctx->topic);
  fcm_probe_ctx_http (ctx, "GET", s->url, NULL, NULL, 0);
  PT_YIELD (ctx);
  if (!fcm_probe_check (ctx, ctx->error == NULL && ctx->status == 200, "H-29",
                        _("Get Current Context answered %u"), ctx->status))
    PT_EXIT (ctx);
  obj = fcm_probe_ctx_body_object (ctx);
  type = obj != NULL ? fcm_json_get_string (obj, "context.type") : NULL;
  if (fcm_probe_hub_fixed_topic (ctx) && type != NULL && type[0] != '\0')
    fcm_probe_note (ctx, "H-29", _("The topic already has a context: the empty answer is not checked"));
  else if (fcm_probe_check (ctx, obj != NULL && g_strcmp0 (type, "") == 0 && fcm_json_get_array (obj, "context") != NULL,
                            "H-29", _("Without a context the answer has context.type \"\" and a context array")))
    {
      root = fcm_json_parse (ctx->body, (gssize) ctx->body_len, NULL);
      fcm_probe_validate (ctx, _("the empty current context"), root, FCM_VALIDATOR_ROLE_ANY, TRUE);
    }

  fcm_probe_hub_post_open (ctx, &s->ids, &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-open"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  s->version = fcm_probe_hub_event_string (fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id),
                                           "context.versionId");

  /* the open report */
  fcm_probe_ctx_http (ctx, "GET", s->url, NULL, NULL, 0);
  PT_YIELD (ctx);
  obj = fcm_probe_ctx_body_object (ctx);
  if (!fcm_probe_check (ctx, ctx->status == 200 && obj != NULL, "H-29",
                        _("Get Current Context answered %u with %s"), ctx->status,
                        obj != NULL ? _("a JSON object") : _("no JSON object")))
    PT_EXIT (ctx);
  fcm_probe_check (ctx, g_strcmp0 (fcm_json_get_string (obj, "context.type"), "DiagnosticReport") == 0, "H-29",
                   _("context.type is “%s” (expected DiagnosticReport)"),
                   fcm_json_get_string (obj, "context.type") ? fcm_json_get_string (obj, "context.type") : "");
  if (s->version != NULL)
    fcm_probe_check (ctx, g_strcmp0 (fcm_json_get_string (obj, "context.versionId"), s->version) == 0, "H-29",
                     _("context.versionId is the open's version"));
  item = context_item (obj, "report", &resource);
  fcm_probe_check (ctx, resource != NULL && g_strcmp0 (fcm_json_get_string (resource, "id"), s->ids.report) == 0,
                   "H-29", _("The context has the opened report"));
  context_item (obj, "patient", &resource);
  fcm_probe_check (ctx, resource != NULL && g_strcmp0 (fcm_json_get_string (resource, "id"), s->ids.patient) == 0,
                   "H-29", _("The context has the opened patient"));
  context_item (obj, "study", &resource);
  fcm_probe_check (ctx, resource != NULL && g_strcmp0 (fcm_json_get_string (resource, "id"), s->ids.study) == 0,
                   "H-29", _("The context has the opened study"));
  check_content (ctx, obj);
  if (item != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, item);
      s->report_item = fcm_json_to_string (node, FALSE);
    }
  root = fcm_json_parse (ctx->body, (gssize) ctx->body_len, NULL);
  fcm_probe_validate (ctx, _("the current context"), root, FCM_VALIDATOR_ROLE_ANY, TRUE);
  g_clear_pointer (&obj, json_object_unref);

  /* H-30: after an update, the change is in content, the context stays */
  if (s->version == NULL)
    {
      fcm_probe_warn (ctx, "H-23", _("The open had no context.versionId: the update is not tried"));
      PT_EXIT (ctx);
    }
  fcm_probe_hub_post_update (ctx, &s->ids, s->version, &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-24", "DiagnosticReport-update"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_ctx_http (ctx, "GET", s->url, NULL, NULL, 0);
  PT_YIELD (ctx);
  obj = fcm_probe_ctx_body_object (ctx);
  if (obj == NULL)
    {
      fcm_probe_fail (ctx, "H-29", _("Get Current Context after the update answered %u without a JSON object"),
                      ctx->status);
      PT_EXIT (ctx);
    }
  item = context_item (obj, "report", NULL);
  if (item != NULL && s->report_item != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *now = NULL;

      json_node_set_object (node, item);
      now = fcm_json_to_string (node, FALSE);
      fcm_probe_check (ctx, g_str_equal (now, s->report_item), "H-30",
                       _("The context's report entry is %s after the update"),
                       g_str_equal (now, s->report_item) ? _("unchanged") : _("rewritten"));
    }
  entries = check_content (ctx, obj);
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = fcm_json_array_get_object (entries, i);
      JsonObject *res = entry != NULL ? fcm_json_get_object (entry, "resource") : NULL;

      found = found || (res != NULL && g_strcmp0 (fcm_json_get_string (res, "id"), s->ids.observation) == 0);
    }
  fcm_probe_check (ctx, found, "H-30", found ? _("The content Bundle has the updated Observation")
                                             : _("The content Bundle lacks the updated Observation"));
  g_clear_pointer (&obj, json_object_unref);

  /* after the close: no context (no fallback, H-20) */
  fcm_probe_hub_post_close (ctx, &s->ids, &s->id);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_accepted (ctx, "H-17", "DiagnosticReport-close"))
    PT_EXIT (ctx);
  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_ctx_http (ctx, "GET", s->url, NULL, NULL, 0);
  PT_YIELD (ctx);
  obj = fcm_probe_ctx_body_object (ctx);
  fcm_probe_check (ctx, obj != NULL && g_strcmp0 (fcm_json_get_string (obj, "context.type"), "") == 0, "H-20",
                   _("After the close the current context is empty"));
  g_clear_pointer (&obj, json_object_unref);

  /* a topic that does not exist */
  g_clear_pointer (&s->url, g_free);
  {
    g_autofree char *nobody = fcm_probe_random_id ("fhircast-probe-nobody");

    s->url = fcm_probe_hub_topic_url (ctx, nobody);
  }
  fcm_probe_ctx_http (ctx, "GET", s->url, NULL, NULL, 0);
  PT_YIELD (ctx);
  if (ctx->error == NULL && ctx->status >= 400 && ctx->status < 500)
    fcm_probe_note (ctx, "H-29", _("An unknown topic is refused with %u"), ctx->status);
  else
    fcm_probe_warn (ctx, "H-29", _("An unknown topic answered %u; the hub should check that the topic exists"),
                    ctx->status);
  PT_END (ctx);
}

/* ------------------------------------------------------------------- replay */

typedef struct
{
  FcmProbeSub *a, *c, *d;
  FcmProbeIds          ids;
  char        *id;
  char        *timestamp;
} Replay;

static void
replay_clear (gpointer data)
{
  Replay *s = data;

  fcm_probe_hub_ids_clear (&s->ids);
  g_clear_pointer (&s->id, g_free);
  g_clear_pointer (&s->timestamp, g_free);
}

static void
replay (FcmProbeCtx *ctx)
{
  Replay *s = ctx->state;
  g_autofree char *timestamp = NULL;
  FcmProbeFrame *frame;

  PT_BEGIN (ctx);
  fcm_probe_hub_ids_init (&s->ids);
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
  s->timestamp = fcm_probe_hub_event_string (fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_EVENT_ID, s->id), "timestamp");
  if (s->timestamp == NULL)
    {
      fcm_probe_skip (ctx, _("The open was not broadcast (see the broadcast scenario)"));
      PT_EXIT (ctx);
    }

  /* late subscribers: C wants the opens, D does not */
  s->c = fcm_probe_sub_new (ctx, "C", ctx->topic, NULL);
  s->d = fcm_probe_sub_new (ctx, "D", ctx->topic, "DiagnosticReport-close,SyncError");
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  fcm_probe_wait_frame (s->c, FCM_PROBE_MATCH_EVENT_ID, s->id, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_sub_take (s->c, FCM_PROBE_MATCH_EVENT_ID, s->id);
  if (fcm_probe_check (ctx, frame != NULL, "H-12",
                       frame != NULL ? _("C got the open context replayed after its confirmation, with the original id")
                                     : _("C got no replay of the open context after its confirmation")))
    {
      timestamp = fcm_probe_hub_event_string (frame, "timestamp");
      fcm_probe_check (ctx, g_strcmp0 (timestamp, s->timestamp) == 0, "H-12",
                       _("The replay keeps the original timestamp (“%s”, expected “%s”)"),
                       timestamp ? timestamp : "", s->timestamp);
      fcm_probe_validate (ctx, _("the replay"), frame->json, FCM_VALIDATOR_ROLE_NOTIFICATION, TRUE);
    }

  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, fcm_probe_sub_count (s->d, FCM_PROBE_MATCH_EVENT_NAME, "DiagnosticReport-open") == 0, "H-12",
                   fcm_probe_sub_count (s->d, FCM_PROBE_MATCH_EVENT_NAME, "DiagnosticReport-open") == 0
                   ? _("D (not subscribed to DiagnosticReport-open) got no replay")
                   : _("D got a DiagnosticReport-open it did not subscribe to"));
  PT_END (ctx);
}

/* -------------------------------------------------------------------- table */

#define SCENARIO(fn, type, clear) fn, sizeof (type), clear

const FcmProbeScenario fcm_probe_hub_current_scenarios[] = {
  { { "get-context", N_("Get Current Context"), "H-29,H-30,H-20",
      N_("GET {hub}/{topic}: empty before the open; context.type, versionId, the open's context and a content "
         "Bundle after it; updates only in content; empty again after the close") },
    SCENARIO (get_context, GetContext, get_context_clear) },
  { { "replay", N_("Open context replayed to new subscribers"), "H-12",
      N_("A subscriber connecting while a report is open gets that open (original id and timestamp) after its "
         "confirmation; one not subscribed to the open event does not") },
    SCENARIO (replay, Replay, replay_clear) },
};

const guint fcm_probe_hub_current_n_scenarios = G_N_ELEMENTS (fcm_probe_hub_current_scenarios);

/* fcm-hub-derived.c: the events another anchor's -open / -close implies (H-21)
 *
 * A DiagnosticReport-open implies Patient-open and ImagingStudy-open, and
 * Encounter-open when it carries an encounter. A subscriber of those
 * events that did not subscribe to the event itself gets them from the
 * hub, with hub-made ids, when its current patient, study or encounter
 * changes; on connect it gets those of the current report (H-12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-hub-private.h"

/* The id of a context item's resource or reference ("Patient/x" → "x"). */
static char *
context_item_id (JsonObject *item)
{
  JsonObject *res = fcm_json_get_object (item, "resource");
  JsonObject *ref = fcm_json_get_object (item, "reference");
  const char *text;

  if (res != NULL && fcm_json_get_string (res, "id") != NULL)
    return g_strdup (fcm_json_get_string (res, "id"));
  text = fcm_json_get_string (ref, "reference");
  if (text == NULL)
    return NULL;
  if (strrchr (text, '/') != NULL)
    text = strrchr (text, '/') + 1;
  return *text != '\0' ? g_strdup (text) : NULL;
}

static JsonObject *
context_find_item (JsonArray  *context,
                   const char *key)
{
  for (guint i = 0; context != NULL && i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);

      if (g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        return item;
    }
  return NULL;
}

/* H-21: the Patient and ImagingStudy events implied by another anchor's
 * -open / -close; and Encounter, which the current DiagnosticReport-open
 * may carry (`encounter`, 0..1, FC §3.6.1) and which is an anchor type of
 * its own (Encounter-open/-close, FC §3.3). */
static const struct
{
  const char *type;
  const char *key;
} implied_types[3] = {
  { "Patient", "patient" },
  { "ImagingStudy", "study" },
  { "Encounter", "encounter" },
};

/* A derived Patient-* / ImagingStudy-* event (H-21) for @item of the
 * -open context @anchor_context, with a new hub-made id. */
static char *
derived_event_text (const char  *timestamp,
                    const char  *topic,
                    const char  *derived_name,
                    JsonArray   *anchor_context,
                    JsonObject  *item,
                    char       **out_id)
{
  g_autoptr(JsonArray) context = json_array_new ();
  g_autoptr(FcmEvent) derived = NULL;
  JsonObject *patient = context_find_item (anchor_context, "patient");

  /* Patient-*: patient; ImagingStudy-*: patient (if known) and study */
  if (patient != NULL)
    json_array_add_object_element (context, json_object_ref (patient));
  if (item != patient)
    json_array_add_object_element (context, json_object_ref (item));
  *out_id = _fcm_hub_random_uuid ();
  derived = fcm_event_new (*out_id, timestamp, topic, derived_name, context, NULL, NULL);

  return fcm_event_to_json (derived, FALSE);
}

/* After @event (an -open or -close with the -open context @anchor_context)
 * was broadcast: records the Patient / ImagingStudy that is now current for
 * each recipient, and sends derived Patient-* / ImagingStudy-* events, with
 * hub-made ids, to the subscribers of those events that didn't subscribe
 * to @event itself. A derived -open is skipped when that patient or study
 * is already current for the subscriber; a derived -close is only sent for
 * the one that is current. */
void
_fcm_hub_derive_implied (FcmHub     *self,
                         FcmEvent   *event,
                         JsonArray  *anchor_context)
{
  const char *name = fcm_event_get_name (event);
  const char *topic = fcm_event_get_topic (event);
  gboolean is_open = _fcm_hub_has_suffix_ci (name, "-open");
  g_autofree char *anchor_type = _fcm_hub_anchor_type_of (name);

  if (anchor_context == NULL || anchor_type == NULL ||
      (!is_open && !_fcm_hub_has_suffix_ci (name, "-close")))
    return;

  for (guint d = 0; d < G_N_ELEMENTS (implied_types); d++)
    {
      /* fetched per round: a delivery may end a subscription */
      g_autoptr(GList) subs = g_hash_table_get_values (self->subscribers);
      JsonObject *item = context_find_item (anchor_context, implied_types[d].key);
      g_autofree char *item_id = item != NULL ? context_item_id (item) : NULL;
      g_autofree char *derived_name = NULL;
      g_autofree char *id = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) targets = g_ptr_array_new ();

      if (item_id == NULL)
        continue;

      if (g_ascii_strcasecmp (anchor_type, implied_types[d].type) == 0)
        {
          /* the event itself: note what its recipients now have */
          for (GList *l = subs; l != NULL; l = l->next)
            {
              Subscriber *sub = l->data;

              if (!g_str_equal (sub->topic, topic) || !_fcm_hub_subscriber_is_open (sub) ||
                  !_fcm_hub_subscriber_wants (sub, name))
                continue;
              g_clear_pointer (&sub->implied[d], g_free);
              if (is_open)
                sub->implied[d] = g_strdup (item_id);
            }
          continue;
        }

      derived_name = g_strconcat (implied_types[d].type, is_open ? "-open" : "-close", NULL);
      for (GList *l = subs; l != NULL; l = l->next)
        {
          Subscriber *sub = l->data;

          if (!g_str_equal (sub->topic, topic) || !_fcm_hub_subscriber_is_open (sub) ||
              _fcm_hub_subscriber_wants (sub, name) || !_fcm_hub_subscriber_wants (sub, derived_name))
            continue;
          /* no duplicates: only a change of patient / study is sent */
          if (is_open == (g_strcmp0 (sub->implied[d], item_id) == 0))
            continue;
          g_ptr_array_add (targets, sub);
        }
      if (targets->len == 0)
        continue;

      text = derived_event_text (fcm_event_get_timestamp (event), topic, derived_name,
                                 anchor_context, item, &id);

      for (guint i = 0; i < targets->len; i++)
        {
          Subscriber *sub = g_ptr_array_index (targets, i);

          g_clear_pointer (&sub->implied[d], g_free);
          if (is_open)
            sub->implied[d] = g_strdup (item_id);
          _fcm_hub_deliver (self, sub, id, derived_name, text, TRUE);
        }
      g_signal_emit (self, _fcm_hub_signals[SIGNAL_EVENT_BROADCAST], 0, topic, derived_name, id);
    }
}

/* H-12 with H-21: a subscriber of Patient-open / ImagingStudy-open that did
 * not subscribe to the current report's -open gets the derived opens of the
 * most recently activated report context on connect, with that open's
 * timestamp. */
void
_fcm_hub_replay_derived_opens (FcmHub     *self,
                               Subscriber *sub,
                               Topic      *topic)
{
  Context *ctx = NULL;
  const char *timestamp;

  for (guint i = topic->contexts->len; i > 0 && ctx == NULL; i--)
    {
      Context *c = g_ptr_array_index (topic->contexts, i - 1);

      if (g_ascii_strcasecmp (c->anchor_type, "DiagnosticReport") == 0)
        ctx = c;
    }

  if (ctx == NULL || _fcm_hub_subscriber_wants (sub, ctx->open_name))
    return;

  timestamp = fcm_json_get_string (json_node_get_object (ctx->open_message), "timestamp");

  for (guint d = 0; d < G_N_ELEMENTS (implied_types); d++)
    {
      g_autofree char *derived_name = g_strconcat (implied_types[d].type, "-open", NULL);
      JsonObject *item = context_find_item (ctx->context, implied_types[d].key);
      g_autofree char *item_id = item != NULL ? context_item_id (item) : NULL;
      g_autofree char *id = NULL;
      g_autofree char *text = NULL;

      if (item_id == NULL || !_fcm_hub_subscriber_wants (sub, derived_name) ||
          g_strcmp0 (sub->implied[d], item_id) == 0 || !_fcm_hub_subscriber_is_open (sub))
        continue;

      text = derived_event_text (timestamp, sub->topic, derived_name, ctx->context, item, &id);
      g_free (sub->implied[d]);
      sub->implied[d] = g_strdup (item_id);
      _fcm_hub_deliver (self, sub, id, derived_name, text, TRUE);
    }
}

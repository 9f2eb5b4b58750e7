/* fcm-event-internal.h: what the two files of FcmEvent share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FcmEvent (FcmMessage and FcmContextStore use fcm-event-private.h) is two
 * files:
 *
 *   fcm-event.c        the object, event names (C-14), the getters, the
 *                      context readers, writing, syncerror details
 *   fcm-event-parse.c  the constructors: reading a message, building one
 */

#pragma once

#include "fcm-event-private.h"

G_BEGIN_DECLS

/**
 * FcmEvent:
 *
 * An immutable FHIRcast message of the form
 * `{"timestamp", "id", "event": {"hub.topic", "hub.event", "context": […]}}`
 * (C-25, C-44), as received over the WebSocket or posted to a hub.
 *
 * Parsing is tolerant where real peers bend the rules (a missing
 * `hub.topic` or `context` is accepted, the 2019 prototype's
 * `{"header", "body"}` wrapper is unwrapped) and strict about types: any
 * member of the wrong JSON type is an error with a precise path. Conformance
 * problems that do not stop us from using the message are left to
 * #FcmValidator.
 *
 * The message is read from an #FcmDoc (the `_doc` getters); the json-glib
 * getters (fcm_event_get_root(), fcm_event_get_context(), …) make their
 * tree from it on the first call, or return the one the event was made
 * from. Either way the event does not change once made.
 */
struct _FcmEvent
{
  GObject     parent_instance;

  FcmDoc        *doc;         /* the whole message as received (or as generated) */
  const FcmJson *message;     /* in doc: the root, or root.body when wrapped */
  const FcmJson *context_doc; /* in doc: the context array, NULL when absent */
  char          *raw;         /* a GRefString, shared with the FcmMessage */
  JsonNode      *root;        /* json-glib tree: given, or made on demand */
  JsonArray     *context;     /* json-glib context array, made on demand */
  const char    *id;          /* these point into doc */
  const char    *timestamp;
  const char    *topic;
  const char    *name;
  const char    *canonical_name;
  const char    *version_id;
  const char    *prior_version_id;
  gint64         timestamp_usec;
  guint          legacy_wrapped : 1;
  guint          raw_is_compact : 1;  /* raw is json-glib's compact writing of root */
};

G_END_DECLS

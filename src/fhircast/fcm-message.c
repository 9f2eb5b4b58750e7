/* fcm-message.c: one received FHIRcast message, parsed once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-error.h"
#include "fcm-event-private.h"
#include "fcm-json-private.h"
#include "fcm-message.h"

/**
 * FcmMessage:
 *
 * An immutable, reference-counted value for one message as received (a
 * WebSocket frame): its text, the JSON tree parsed from it, its
 * #FcmMessageKind, and the #FcmEvent when it is an event notification.
 *
 * The text is parsed once, when the message is made, into an #FcmDoc;
 * everything after that (the hub client's acks, the validator, the event
 * log, `fhircast watch`) reads that document. A json-glib tree is made from
 * it only when someone asks (fcm_message_get_root()).
 */
struct _FcmMessage
{
  grefcount       ref;
  FcmMessageKind  kind;
  char           *text;     /* a GRefString, valid UTF-8; shared with the event */
  FcmDoc         *doc;      /* NULL when the text is not JSON */
  JsonNode       *root;     /* made from doc on demand */
  FcmEvent       *event;    /* an event kind that is a usable event */
  GError         *error;    /* why doc (or, for an event kind, event) is NULL */
  gint64          received; /* wall clock, µs: when it was made (read) */
};

G_DEFINE_BOXED_TYPE (FcmMessage, fcm_message, fcm_message_ref, fcm_message_unref)

static FcmMessage *
message_new (const char *text,
             gsize       length)
{
  FcmMessage *self = g_new0 (FcmMessage, 1);

  g_ref_count_init (&self->ref);
  self->received = g_get_real_time ();
  self->kind = FCM_MESSAGE_UNKNOWN;
  self->text = g_ref_string_new_len (text, (gssize) length);
  return self;
}

/* Text that was not parsed may be anything: keep it printable. */
static void
make_text_valid (FcmMessage *self)
{
  if (!g_utf8_validate (self->text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (self->text, -1);

      g_ref_string_release (self->text);
      self->text = g_ref_string_new (valid);
    }
}

/**
 * fcm_message_new:
 * @text: the message text
 * @length: the length of @text, or -1 if NUL-terminated
 *
 * Parses @text once (with the limits of every JSON text we read: size,
 * UTF-8, depth), works out its kind with fcm_validator_classify_doc(), and for
 * an event (or a 2019 wrapped event) reads the #FcmEvent from the same
 * tree. Text that is not JSON still gives a message: kind
 * %FCM_MESSAGE_UNKNOWN, no root, and fcm_message_get_error() says why.
 *
 * Returns: (transfer full): a new #FcmMessage
 */
FcmMessage *
fcm_message_new (const char *text,
                 gssize      length)
{
  FcmMessage *self;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  text = text != NULL ? text : "";
  len = length < 0 ? strlen (text) : (gsize) length;
  self = message_new (text, len);
  /* our copy is NUL-terminated: cJSON reads it in place */
  self->doc = fcm_doc_parse (self->text, (gssize) len, &self->error);
  if (self->doc == NULL)
    {
      make_text_valid (self);
      return self;
    }

  /* parsed: the text is valid UTF-8 without NUL bytes, so it is the event's raw form too */
  self->kind = fcm_validator_classify_doc (fcm_doc_get_root (self->doc));
  if (fcm_message_is_event (self))
    self->event = _fcm_event_new_from_doc (self->doc, self->text, &self->error);
  return self;
}

/**
 * fcm_message_new_unparsed:
 * @text: the message text
 * @length: the length of @text, or -1 if NUL-terminated
 * @reason: why it is not parsed (for instance a binary WebSocket frame)
 *
 * A message that is kept as received but not read as JSON: kind
 * %FCM_MESSAGE_UNKNOWN, no root, @reason as its error.
 *
 * Returns: (transfer full): a new #FcmMessage
 */
FcmMessage *
fcm_message_new_unparsed (const char *text,
                          gssize      length,
                          const char *reason)
{
  FcmMessage *self;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  text = text != NULL ? text : "";
  self = message_new (text, length < 0 ? strlen (text) : (gsize) length);
  make_text_valid (self);
  self->error = g_error_new_literal (FCM_ERROR, FCM_ERROR_INVALID_JSON, reason);
  return self;
}

FcmMessage *
fcm_message_ref (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref);
  return self;
}

void
fcm_message_unref (FcmMessage *self)
{
  g_return_if_fail (self != NULL);

  if (g_ref_count_dec (&self->ref))
    {
      g_clear_object (&self->event);
      g_clear_pointer (&self->root, json_node_unref);
      g_clear_pointer (&self->doc, fcm_doc_unref);
      g_clear_error (&self->error);
      g_ref_string_release (self->text);
      g_free (self);
    }
}

FcmMessageKind
fcm_message_get_kind (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, FCM_MESSAGE_UNKNOWN);
  return self->kind;
}

/**
 * fcm_message_is_event:
 *
 * Returns: %TRUE when the message is shaped as an event (also a 2019
 *   wrapped one), even if it is not a usable one (then
 *   fcm_message_get_event() is %NULL)
 */
gboolean
fcm_message_is_event (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->kind == FCM_MESSAGE_EVENT || self->kind == FCM_MESSAGE_LEGACY_EVENT;
}

/**
 * fcm_message_get_text:
 *
 * Returns: the text as received, made valid UTF-8 if it was not
 */
const char *
fcm_message_get_text (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

/**
 * fcm_message_get_doc:
 *
 * Returns: (transfer none) (nullable): the parsed document, %NULL when the
 *   text is not JSON
 */
FcmDoc *
fcm_message_get_doc (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->doc;
}

/**
 * fcm_message_get_root:
 *
 * The message as a json-glib tree, made from the document on the first call
 * (for an event, the event's tree: fcm_event_get_root()). The readers of
 * the hot path use fcm_message_get_doc().
 *
 * Returns: (transfer none) (nullable): the tree (immutable), %NULL when the
 *   text is not JSON
 */
JsonNode *
fcm_message_get_root (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->event != NULL)
    return fcm_event_get_root (self->event);
  if (self->root == NULL && self->doc != NULL)
    self->root = fcm_doc_to_node (fcm_doc_get_root (self->doc));
  return self->root;
}

/**
 * fcm_message_get_event:
 *
 * Returns: (transfer none) (nullable): the event, when the message is an
 *   event that could be read (it has the members a notification needs,
 *   of the right types)
 */
FcmEvent *
fcm_message_get_event (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->event;
}

/**
 * fcm_message_get_error:
 *
 * Returns: (transfer none) (nullable): why there is no root (the text is not
 *   JSON) or, for a message shaped as an event, why there is no event
 */
const GError *
fcm_message_get_error (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error;
}

/**
 * fcm_message_get_received_usec:
 *
 * When the message was made, on the wall clock (µs since the epoch): for a
 * frame from the hub, when it was read, however long it then waited to be
 * handed on (fcm_hub_client_set_frame_priority()).
 */
gint64
fcm_message_get_received_usec (FcmMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->received;
}

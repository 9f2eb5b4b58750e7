/* fcm-validator.h: conformance checks for FHIRcast messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fcm-doc.h"
#include "fcm-event.h"
#include "fcm-issue.h"

G_BEGIN_DECLS

/**
 * FcmMessageKind:
 * @FCM_MESSAGE_UNKNOWN: not recognised
 * @FCM_MESSAGE_EVENT: `{timestamp, id, event}`: notification or context-change request
 * @FCM_MESSAGE_LEGACY_EVENT: 2019 prototype `{"header", "body"}` wrapper around an event
 * @FCM_MESSAGE_CONFIRMATION: `{"hub.mode": "subscribe", …}`, the first WebSocket frame
 * @FCM_MESSAGE_DENIAL: `{"hub.mode": "denied", …}`
 * @FCM_MESSAGE_ACK: `{"id", "status"}` (status a number, a string, or absent)
 * @FCM_MESSAGE_LEGACY_STATUS: 2019 `{"timestamp", "status": "OK", "statusCode": "200"}`
 * @FCM_MESSAGE_CURRENT_CONTEXT: Get Current Context answer, or a bare context array
 * @FCM_MESSAGE_SUBSCRIPTION_REQUEST: HTTP envelope fixture with a subscribe/unsubscribe `form`
 * @FCM_MESSAGE_SUBSCRIPTION_RESPONSE: `{"hub.channel.endpoint"}`
 * @FCM_MESSAGE_CONFIGURATION: `.well-known/fhircast-configuration`
 * @FCM_MESSAGE_BACKPORT: R5 Backport Bundle/Parameters (recognised only)
 * @FCM_MESSAGE_GETTOPIC: 2019 gettopic envelope fixture
 */
typedef enum {
  FCM_MESSAGE_UNKNOWN,
  FCM_MESSAGE_EVENT,
  FCM_MESSAGE_LEGACY_EVENT,
  FCM_MESSAGE_CONFIRMATION,
  FCM_MESSAGE_DENIAL,
  FCM_MESSAGE_ACK,
  FCM_MESSAGE_LEGACY_STATUS,
  FCM_MESSAGE_CURRENT_CONTEXT,
  FCM_MESSAGE_SUBSCRIPTION_REQUEST,
  FCM_MESSAGE_SUBSCRIPTION_RESPONSE,
  FCM_MESSAGE_CONFIGURATION,
  FCM_MESSAGE_BACKPORT,
  FCM_MESSAGE_GETTOPIC,
} FcmMessageKind;

/**
 * FcmValidatorRole:
 * @FCM_VALIDATOR_ROLE_ANY: infer from the message (e.g. `context.priorVersionId`
 *   marks a hub notification)
 * @FCM_VALIDATOR_ROLE_REQUEST: events are context-change requests sent to a hub
 * @FCM_VALIDATOR_ROLE_NOTIFICATION: events are notifications sent by a hub
 */
typedef enum {
  FCM_VALIDATOR_ROLE_ANY,
  FCM_VALIDATOR_ROLE_REQUEST,
  FCM_VALIDATOR_ROLE_NOTIFICATION,
} FcmValidatorRole;

#define FCM_TYPE_MESSAGE_KIND (fcm_message_kind_get_type ())
GType fcm_message_kind_get_type (void) G_GNUC_CONST;

#define FCM_TYPE_VALIDATOR_ROLE (fcm_validator_role_get_type ())
GType fcm_validator_role_get_type (void) G_GNUC_CONST;

#define FCM_TYPE_VALIDATOR (fcm_validator_get_type ())

G_DECLARE_FINAL_TYPE (FcmValidator, fcm_validator, FCM, VALIDATOR, GObject)

FcmValidator     *fcm_validator_new              (void) G_GNUC_WARN_UNUSED_RESULT;
void              fcm_validator_set_role         (FcmValidator     *self,
                                                  FcmValidatorRole  role);
FcmValidatorRole  fcm_validator_get_role         (FcmValidator     *self);
FcmMessageKind    fcm_validator_classify         (JsonNode         *root);
FcmMessageKind    fcm_validator_classify_doc     (const FcmJson    *root);
const char       *fcm_message_kind_to_string     (FcmMessageKind    kind);
GPtrArray        *fcm_validator_validate         (FcmValidator     *self,
                                                  JsonNode         *root,
                                                  FcmMessageKind   *out_kind);
GPtrArray        *fcm_validator_validate_doc     (FcmValidator     *self,
                                                  const FcmJson    *root,
                                                  FcmMessageKind   *out_kind);
GPtrArray        *fcm_validator_validate_text    (FcmValidator     *self,
                                                  const char       *text,
                                                  gssize            length,
                                                  FcmMessageKind   *out_kind);
GPtrArray        *fcm_validator_validate_event   (FcmValidator     *self,
                                                  FcmEvent         *event);
GPtrArray        *fcm_validator_validate_form    (FcmValidator     *self,
                                                  GHashTable       *form);

/* a received message, parsed once (fcm-message.h) */
typedef struct _FcmMessage FcmMessage;

GPtrArray        *fcm_validator_validate_message (FcmValidator     *self,
                                                  FcmMessage       *message,
                                                  FcmMessageKind   *out_kind);

G_END_DECLS
